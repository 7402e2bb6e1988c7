import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Redis } from '@upstash/redis';
import { randomUUID } from 'node:crypto';
import { startUpstashLocal, type UpstashLocal } from '../../upstash-local/src/index.js';
import { deadLetterFixture, describeDeadLetterStoreContract } from '../src/testing/contracts/dead-letter-store.contract.js';
import { UpstashDeadLetterStore } from '../src/dead-letter/upstash-dead-letter.store.js';
import { DeadLetterStoreError } from '../src/errors/dead-letter-store.error.js';

const TOKEN = `dead-letter-e2e-${randomUUID()}`;
const BASE = `deadletter-test:${randomUUID()}:`;

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  const keys = await redis.keys(pattern);
  if (keys.length > 0) await redis.del(...keys);
}

describeDeadLetterStoreContract('UpstashDeadLetterStore over upstash-local and a real Redis', async () => {
  const server = await startUpstashLocal({ token: TOKEN });
  const redis = new Redis({ url: server.url, token: TOKEN });
  return {
    newStore: () => new UpstashDeadLetterStore(redis, { prefix: `${BASE}${randomUUID()}:` }),
    dispose: async () => {
      await deleteKeys(redis, `${BASE}*`);
      await server.close();
    },
  };
});

describe('UpstashDeadLetterStore specifics', () => {
  let server: UpstashLocal;
  let redis: Redis;
  let prefix: string;
  let store: UpstashDeadLetterStore;

  beforeAll(async () => {
    server = await startUpstashLocal({ token: TOKEN });
    redis = new Redis({ url: server.url, token: TOKEN });
  });

  beforeEach(() => {
    prefix = `${BASE}${randomUUID()}:`;
    store = new UpstashDeadLetterStore(redis, { prefix });
  });

  afterAll(async () => {
    await deleteKeys(redis, `${BASE}*`);
    await server.close();
  });

  it('keeps records as deadletter:{id} JSON with a 30-day TTL by default, saved in one transaction', async () => {
    const record = deadLetterFixture();
    server.resetStats();
    await store.save(record);
    expect(server.stats().requestsByEndpoint).toEqual({ command: 0, pipeline: 0, multiExec: 1 });
    expect(await redis.get(`${prefix}${record.id}`)).toEqual(record);
    const ttl = await redis.ttl(`${prefix}${record.id}`);
    expect(ttl).toBeGreaterThan(30 * 86_400 - 10);
    expect(ttl).toBeLessThanOrEqual(30 * 86_400);
    expect(await redis.zcard(`${prefix}~index`)).toBe(1);
    expect(await redis.zcard(`${prefix}~index:${record.jobName}`)).toBe(1);
  });

  it('keeps the TTL on update and drops expired records from listings and indexes', async () => {
    const short = new UpstashDeadLetterStore(redis, { prefix, ttlSeconds: 1 });
    const old = deadLetterFixture({ minute: 1 });
    await short.save(old);
    await short.update({ ...old, retriedAs: 'task-2' });
    expect(await redis.ttl(`${prefix}${old.id}`)).toBe(1);
    const fresh = deadLetterFixture({ minute: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await store.save(fresh);
    const page = await store.list({ limit: 1 });
    expect(page.items).toEqual([fresh]);
    expect(page.nextCursor).toBeUndefined();
    expect(await redis.zcard(`${prefix}~index`)).toBe(1);
    expect(await store.get(old.id)).toBeNull();
  });

  it('moves index entries when update changes failedAt or jobName', async () => {
    const a = deadLetterFixture({ minute: 1 });
    const b = deadLetterFixture({ minute: 2 });
    await store.save(a);
    await store.save(b);
    await store.update({ ...a, failedAt: deadLetterFixture({ minute: 3 }).failedAt, jobName: 'moved-job' });
    expect((await store.list({})).items.map((r) => r.id)).toEqual([a.id, b.id]);
    expect((await store.list({ jobName: 'moved-job' })).items.map((r) => r.id)).toEqual([a.id]);
    expect((await store.list({ jobName: a.jobName })).items.map((r) => r.id)).toEqual([b.id]);
  });

  it('keeps pagination stable while newer records arrive', async () => {
    for (let minute = 0; minute < 4; minute += 1) await store.save(deadLetterFixture({ minute, id: `dl-${minute}` }));
    const first = await store.list({ limit: 2 });
    await store.save(deadLetterFixture({ minute: 9, id: 'dl-new' }));
    const second = await store.list({ limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual(['dl-3', 'dl-2', 'dl-1', 'dl-0']);
  });

  it('rejects bad ids, cursors, limits and TTLs with DeadLetterStoreError', async () => {
    await expect(store.save(deadLetterFixture({ id: '~index' }))).rejects.toBeInstanceOf(DeadLetterStoreError);
    await expect(store.save(deadLetterFixture({ failedAt: 'yesterday' }))).rejects.toThrow(/invalid failedAt/);
    await expect(store.list({ cursor: 'bogus' })).rejects.toThrow(/Invalid dead-letter cursor/);
    await expect(store.list({ limit: 0 })).rejects.toThrow(/limit must be/);
    expect(() => new UpstashDeadLetterStore(redis, { ttlSeconds: 0 })).toThrow(DeadLetterStoreError);
  });
});
