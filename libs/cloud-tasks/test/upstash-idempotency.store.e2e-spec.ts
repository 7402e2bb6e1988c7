import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from '@upstash/redis';
import { randomUUID } from 'node:crypto';
import { startUpstashLocal, type UpstashLocal } from '../../upstash-local/src/index.js';
import { describeIdempotencyStoreContract } from '../src/testing/contracts/idempotency-store.contract.js';
import { UpstashIdempotencyStore } from '../src/idempotency/upstash-idempotency.store.js';

const TOKEN = `idempotency-e2e-${randomUUID()}`;

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  const keys = await redis.keys(pattern);
  if (keys.length > 0) await redis.del(...keys);
}

describeIdempotencyStoreContract('UpstashIdempotencyStore over upstash-local and a real Redis', async () => {
  const server = await startUpstashLocal({ token: TOKEN });
  const prefix = `idempotency-test:${randomUUID()}:`;
  const admin = new Redis({ url: server.url, token: TOKEN });
  return {
    // NOTE: a client per store plays separate instances racing over HTTP.
    newStore: () => new UpstashIdempotencyStore(new Redis({ url: server.url, token: TOKEN }), { prefix }),
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    dispose: async () => {
      await deleteKeys(admin, `${prefix}*`);
      await server.close();
    },
  };
});

describe('UpstashIdempotencyStore round trips, counted at the server', () => {
  let server: UpstashLocal;
  let redis: Redis;
  let store: UpstashIdempotencyStore;
  const prefix = `idempotency-test:${randomUUID()}:`;

  beforeAll(async () => {
    server = await startUpstashLocal({ token: TOKEN });
    redis = new Redis({ url: server.url, token: TOKEN });
    store = new UpstashIdempotencyStore(redis, { prefix });
  });

  afterAll(async () => {
    await deleteKeys(redis, `${prefix}*`);
    await server.close();
  });

  it('costs exactly 2 commands for a successful job: claim + complete, each one script call', async () => {
    const warm = randomUUID();
    await store.claim(warm, 'warm-up', 30_000);
    await store.complete(warm, 'warm-up', { state: 'done', at: Date.now() }, 60);
    server.resetStats();
    const key = randomUUID();
    expect(await store.claim(key, 'delivery-1', 30_000)).toEqual({ claimed: true });
    expect((await store.complete(key, 'delivery-1', { state: 'done', result: { ok: true }, at: Date.now() }, 86_400)).written).toBe(true);
    const stats = server.stats();
    expect(stats.requests).toBe(2);
    // NOTE: other Jest workers share this Redis and may flush scripts meanwhile: an EVAL may follow a NOSCRIPT.
    expect(stats.commandsByName.EVALSHA).toBe(2);
    expect(stats.commands - (stats.commandsByName.EVAL ?? 0)).toBe(2);
    expect(await redis.ttl(`${prefix}${key}`)).toBeGreaterThan(86_390);
  });

  it('costs 1 command for a lost claim (the script answers with the record) and sets the lease with PX', async () => {
    const key = randomUUID();
    await store.claim(key, 'delivery-1', 30_000);
    server.resetStats();
    const lost = await store.claim(key, 'delivery-2', 30_000);
    expect(lost).toMatchObject({ claimed: false, record: { state: 'processing', owner: 'delivery-1' } });
    expect(server.stats().commands - (server.stats().commandsByName.EVAL ?? 0)).toBe(1);
    const pttl = await redis.pttl(`${prefix}${key}`);
    expect(pttl).toBeGreaterThan(29_000);
    expect(pttl).toBeLessThanOrEqual(30_000);
  });

  it('runs every script with EVALSHA, falling back to EVAL after SCRIPT FLUSH', async () => {
    const key = randomUUID();
    await store.claim(key, 'delivery-1', 30_000);
    await redis.scriptFlush();
    server.resetStats();
    expect((await store.release(key, 'delivery-1')).written).toBe(true);
    expect(server.stats().commandsByName.EVALSHA).toBe(1);
    expect(server.stats().commandsByName.EVAL ?? 0).toBeLessThanOrEqual(1);
    await store.claim(key, 'delivery-2', 30_000);
    server.resetStats();
    expect(await store.renew(key, 'delivery-2', 30_000)).toBe(true);
    expect((await store.release(key, 'delivery-2')).written).toBe(true);
    expect(server.stats().commandsByName.EVALSHA).toBe(2);
  });

  it('stores fractional TTLs with PX and rejects non-positive leases', async () => {
    const key = randomUUID();
    await store.complete(key, 'owner', { state: 'done', at: 1 }, 2.5);
    const pttl = await redis.pttl(`${prefix}${key}`);
    expect(pttl).toBeGreaterThan(2_000);
    expect(pttl).toBeLessThanOrEqual(2_500);
    await expect(store.claim(randomUUID(), 'x', 0)).rejects.toThrow(/leaseMs must be a positive/);
  });

  it('reads records written without automatic deserialisation and rejects foreign values', async () => {
    const rawClient = new Redis({ url: server.url, token: TOKEN, automaticDeserialization: false });
    const rawStore = new UpstashIdempotencyStore(rawClient, { prefix });
    const key = randomUUID();
    await store.claim(key, 'delivery-1', 30_000);
    expect(await rawStore.get(key)).toMatchObject({ state: 'processing', owner: 'delivery-1' });
    await redis.set(`${prefix}foreign`, 'not a record');
    await expect(store.get('foreign')).rejects.toThrow(/is not an idempotency record/);
    await expect(store.claim('foreign', 'delivery-1', 30_000)).rejects.toThrow(/is not an idempotency record/);
    expect(await redis.get(`${prefix}foreign`)).toBe('not a record');
  });
});
