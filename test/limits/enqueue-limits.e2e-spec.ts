import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { startUpstashLocal, type UpstashLocal } from '../../libs/upstash-local/src/index.js';
import {
  BulkEnqueueError,
  EnqueueRateLimitError,
  EnqueueRateLimitUnavailableError,
  EnqueueValidationError,
  JobQueueService,
  MemoryEnqueueLimiter,
  UpstashEnqueueLimiter,
  EnqueueLimiter,
  type CloudTasksModuleOptions,
  type EnqueueRateLimits,
} from '../../libs/cloud-tasks/src/index.js';
import { compileTestModule, queueConfig, RecordingLogger, type FakeCloudTasksClient } from '../../libs/cloud-tasks/src/testing/index.js';
import { ENQUEUE_RATE_LIMIT_BAD_KEY, ENQUEUE_RATE_LIMITED, ENQUEUE_RATE_LIMIT_FAILED_OPEN } from '../../libs/cloud-tasks/src/rate-limit/rate-limit.messages.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { freePort } from '@nest-cloud-tasks/core/testing';

// NOTE: the limiters' windows are on the wall clock (`@upstash/ratelimit` reads Date.now()): only Date is faked,
// frozen at a chosen instant and moved by hand, so every window edge is exact. Timers and I/O stay real.
const REAL_TIMERS = ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] as const;
const MINUTE = 60_000;
/** A window start far from now (limit keys of this run are unique anyway), one second into it. */
const WINDOW_START = Math.floor(Date.UTC(2031, 0, 1) / MINUTE) * MINUTE;
const T0 = WINDOW_START + 1_000;

const run = randomUUID().slice(0, 8);
const SYNC = 'user-sync';
// NOTE: a job without a key function counts under one key for everyone: a job name of this run keeps it to itself.
const SHARED = `nightly-report-${run}`;
const QUEUES = { [SYNC]: queueConfig('user-sync-queue'), [SHARED]: queueConfig('nightly-report-queue') };
const LIMITS: EnqueueRateLimits = {
  [SYNC]: { limit: 100, window: '1m', key: (data) => (data as { userId?: string }).userId ?? '' },
  [SHARED]: { limit: 3, window: '1h' },
};

interface Instance {
  moduleRef: TestingModule;
  client: FakeCloudTasksClient;
  queue: JobQueueService;
  logger: RecordingLogger;
}

// NOTE: Nest's Logger is global: every instance of this file logs to this one recorder (tests pick their lines by key).
const logger = new RecordingLogger();

async function boot(options: Partial<CloudTasksModuleOptions>): Promise<Instance> {
  const { moduleRef, client } = await compileTestModule({ options: { queues: QUEUES, enqueueRateLimits: LIMITS, ...options }, logger });
  await moduleRef.init();
  return { moduleRef, client, queue: moduleRef.get(JobQueueService), logger };
}

/** `n` sequential adds of the sync job for `userId`. */
async function addTimes(queue: JobQueueService, userId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await queue.add(SYNC, { userId });
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as Error,
  );
}

const STORES = ['upstash-local', 'memory'] as const;

describe.each(STORES)('enqueue limits, counted on the %s limiter', (kind) => {
  let store: UpstashLocal | undefined;
  let a: Instance;
  let b: Instance;
  let user: (name: string) => string;

  beforeAll(async () => {
    if (kind === 'upstash-local') store = await startUpstashLocal({ port: 0, token: `limits-e2e-${randomUUID()}` });
    const options: Partial<CloudTasksModuleOptions> = store ? { idempotency: { upstash: { url: store.url, token: store.token } } } : {};
    a = await boot(options);
    b = await boot(options);
  });

  afterAll(async () => {
    await a?.moduleRef.close();
    await b?.moduleRef.close();
    await store?.close();
  });

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: T0 });
    // NOTE: fresh keys per test: the counts of other tests (and of other runs on the shared Redis) never meet.
    const test = randomUUID().slice(0, 8);
    user = (name) => `${kind}-${run}-${test}-${name}`;
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('uses the limiter the store implies: Upstash with idempotency.upstash, memory without', () => {
    expect(a.moduleRef.get(EnqueueLimiter)).toBeInstanceOf(kind === 'upstash-local' ? UpstashEnqueueLimiter : MemoryEnqueueLimiter);
  });

  it('100 adds for one user in a window pass; the 101st fails with EnqueueRateLimitError naming the job, the key and when to retry, and sends nothing', async () => {
    const alice = user('alice');
    const sentBefore = a.client.requests.length;
    await addTimes(a.queue, alice, 100);
    expect(a.client.requests.length - sentBefore).toBe(100);

    const error = await rejectionOf(a.queue.add(SYNC, { userId: alice }));
    expect(error).toBeInstanceOf(EnqueueRateLimitError);
    const resetAt = new Date(WINDOW_START + MINUTE);
    expect(error).toMatchObject({ name: 'EnqueueRateLimitError', jobName: SYNC, key: alice, limit: 100, windowMs: MINUTE, retryAfter: 59, resetAt });
    expect(error.message).toBe(ENQUEUE_RATE_LIMITED(SYNC, alice, 100, MINUTE, 59, resetAt));
    expect(a.client.requests.length - sentBefore).toBe(100);

    // Refused again (answered from the refusal the instance remembers, on Upstash), logged once for the key and window.
    await expect(a.queue.add(SYNC, { userId: alice })).rejects.toBeInstanceOf(EnqueueRateLimitError);
    const warnings = a.logger.entries.filter((e) => e.level === 'warn' && (e.message as { key?: string }).key === alice);
    expect(warnings).toEqual([{ level: 'warn', message: expect.objectContaining({ jobName: SYNC, key: alice, limit: 100, windowMs: MINUTE, retryAfter: 59 }), context: 'CloudTasks' }]);
  });

  it('another user is unaffected, and skipRateLimit lets a system add through for the limited user', async () => {
    const alice = user('alice');
    await addTimes(a.queue, alice, 100);
    await expect(a.queue.add(SYNC, { userId: alice })).rejects.toBeInstanceOf(EnqueueRateLimitError);

    await expect(a.queue.add(SYNC, { userId: user('bob') })).resolves.toMatchObject({ jobName: SYNC, duplicate: false });
    await expect(a.queue.add(SYNC, { userId: alice }, { skipRateLimit: true })).resolves.toMatchObject({ jobName: SYNC });
  });

  it('the window rolls over: at its end the user has 100 adds again', async () => {
    const alice = user('alice');
    await addTimes(a.queue, alice, 100);
    jest.setSystemTime(WINDOW_START + MINUTE - 1);
    const last = await rejectionOf(a.queue.add(SYNC, { userId: alice }));
    expect(last).toMatchObject({ retryAfter: 1, resetAt: new Date(WINDOW_START + MINUTE) });

    jest.setSystemTime(WINDOW_START + MINUTE);
    await addTimes(a.queue, alice, 100);
    expect(await rejectionOf(a.queue.add(SYNC, { userId: alice }))).toMatchObject({ retryAfter: 60, resetAt: new Date(WINDOW_START + 2 * MINUTE) });
  });

  it('a job without a key function has one limit for every caller', async () => {
    for (let i = 0; i < 3; i++) await a.queue.add(SHARED, { day: i });
    expect(await rejectionOf(a.queue.add(SHARED, { day: 4 }))).toMatchObject({ jobName: SHARED, key: '*', limit: 3 });
  });

  it('addBulk limits per item: the item over the limit fails alone, the others are enqueued', async () => {
    const carol = user('carol');
    const dave = user('dave');
    await addTimes(a.queue, carol, 99);
    const sentBefore = a.client.requests.length;
    const error = await rejectionOf(
      a.queue.addBulk([
        { name: SYNC, data: { userId: carol } },
        { name: SYNC, data: { userId: dave } },
        { name: SYNC, data: { userId: carol } },
      ]),
    );
    expect(error).toBeInstanceOf(BulkEnqueueError);
    const results = (error as BulkEnqueueError).results;
    expect(results.map((r) => r.ok)).toEqual(expect.arrayContaining([true, true, false]));
    expect(results[1]).toMatchObject({ ok: true });
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ ok: false, jobName: SYNC, error: expect.objectContaining({ name: 'EnqueueRateLimitError', key: carol, retryAfter: 59 }) });
    expect((error as BulkEnqueueError).failures).toEqual([expect.objectContaining({ jobName: SYNC, taskMayExist: false })]);
    expect(a.client.requests.length - sentBefore).toBe(2);
  });

  it('a key function that gives no key refuses the add as invalid, before counting or sending anything', async () => {
    const sentBefore = a.client.requests.length;
    const error = await rejectionOf(a.queue.add(SYNC, { name: 'no user id' }));
    expect(error).toBeInstanceOf(EnqueueValidationError);
    expect(error.message).toBe(ENQUEUE_RATE_LIMIT_BAD_KEY(SYNC, 'an empty string'));
    expect(a.client.requests.length).toBe(sentBefore);
  });

  it(kind === 'upstash-local' ? 'two app instances on the same store share the limit' : 'two app instances each count their own (memory is per instance)', async () => {
    const erin = user('erin');
    await addTimes(a.queue, erin, 60);
    await addTimes(b.queue, erin, 40);
    if (kind === 'upstash-local') {
      await expect(a.queue.add(SYNC, { userId: erin })).rejects.toBeInstanceOf(EnqueueRateLimitError);
      await expect(b.queue.add(SYNC, { userId: erin })).rejects.toBeInstanceOf(EnqueueRateLimitError);
    } else {
      await addTimes(a.queue, erin, 40);
      await addTimes(b.queue, erin, 60);
      await expect(a.queue.add(SYNC, { userId: erin })).rejects.toBeInstanceOf(EnqueueRateLimitError);
      await expect(b.queue.add(SYNC, { userId: erin })).rejects.toBeInstanceOf(EnqueueRateLimitError);
    }
  });

  it('concurrent adds: exactly 100 of 150 pass, the rest are refused, none lost or counted twice', async () => {
    const gina = user('gina');
    const sentBefore = a.client.requests.length + b.client.requests.length;
    // NOTE: on Upstash, half from each instance at once; in memory, one instance (its count is its own).
    const instanceOf = (i: number) => (kind === 'upstash-local' && i % 2 === 1 ? b : a);
    const outcomes = await Promise.allSettled(Array.from({ length: 150 }, (_, i) => instanceOf(i).queue.add(SYNC, { userId: gina })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(100);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused).toHaveLength(50);
    for (const o of refused) expect(o.reason).toBeInstanceOf(EnqueueRateLimitError);
    expect(a.client.requests.length + b.client.requests.length - sentBefore).toBe(100);
  });

  if (kind === 'upstash-local') {
    it('costs one Upstash command per add (EVALSHA); a refusal the instance remembers costs none', async () => {
      const frank = user('frank');
      await a.queue.add(SYNC, { userId: frank }); // loads the script if Redis did not know it
      store!.resetStats();
      await addTimes(a.queue, frank, 99);
      const stats = store!.stats();
      // NOTE: another suite's SCRIPT FLUSH on the shared Redis may force one resend as EVAL.
      expect(stats.commandsByName.EVALSHA).toBe(99);
      expect(stats.commands - (stats.commandsByName.EVAL ?? 0)).toBe(99);

      store!.resetStats();
      await expect(a.queue.add(SYNC, { userId: frank })).rejects.toBeInstanceOf(EnqueueRateLimitError);
      expect(store!.stats().commands - (store!.stats().commandsByName.EVAL ?? 0)).toBe(1);
      store!.resetStats();
      for (let i = 0; i < 10; i++) await expect(a.queue.add(SYNC, { userId: frank })).rejects.toBeInstanceOf(EnqueueRateLimitError);
      expect(store!.stats().commands).toBe(0);
      // The other instance has not seen the refusal: its first costs the command, the next none.
      await expect(b.queue.add(SYNC, { userId: frank })).rejects.toBeInstanceOf(EnqueueRateLimitError);
      await expect(b.queue.add(SYNC, { userId: frank })).rejects.toBeInstanceOf(EnqueueRateLimitError);
      expect(store!.stats().commands - (store!.stats().commandsByName.EVAL ?? 0)).toBe(1);
    });
  }
});

describe('enqueue limits when the Upstash database cannot be reached', () => {
  let open: Instance;
  let closed: Instance;

  beforeAll(async () => {
    // NOTE: a port nothing listens on: every command fails at once (connection refused).
    const url = `http://127.0.0.1:${await freePort()}`;
    const idempotency = { upstash: { url, token: 'unreachable' } };
    open = await boot({ idempotency });
    closed = await boot({ idempotency, enqueueRateLimits: { [SYNC]: { ...LIMITS[SYNC]!, failMode: 'closed' } } });
  });

  afterAll(async () => {
    await open?.moduleRef.close();
    await closed?.moduleRef.close();
  });

  it('failMode open (the default) enqueues the job and logs a warning with a count', async () => {
    const mark = logger.entries.length;
    await expect(open.queue.add(SYNC, { userId: 'u-open' })).resolves.toMatchObject({ jobName: SYNC });
    await expect(open.queue.add(SYNC, { userId: 'u-open' })).resolves.toMatchObject({ jobName: SYNC });
    expect(open.client.requests).toHaveLength(2);
    const warnings = logger.entries.slice(mark).filter((e) => e.level === 'warn' && (e.message as { msg?: string }).msg === ENQUEUE_RATE_LIMIT_FAILED_OPEN);
    expect(warnings.map((w) => (w.message as { uncheckedAdds: number }).uncheckedAdds)).toEqual([1, 2]);
    expect(warnings[0].message).toMatchObject({ jobName: SYNC, error: expect.stringContaining('the limit store did not answer') });
  });

  it('failMode closed refuses it with EnqueueRateLimitUnavailableError and sends nothing', async () => {
    const error = await rejectionOf(closed.queue.add(SYNC, { userId: 'u-closed' }));
    expect(error).toBeInstanceOf(EnqueueRateLimitUnavailableError);
    expect(error).toMatchObject({ jobName: SYNC });
    expect(error.message).toContain('failMode is "closed"');
    expect(closed.client.requests).toHaveLength(0);
  });
});

describe('what one add costs inside Redis (INFO commandstats of a private redis-server)', () => {
  let redis: PrivateRedis;
  let store: UpstashLocal;
  let app: Instance;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    store = await startUpstashLocal({ port: 0, token: `limits-cost-${randomUUID()}`, redisUrl: redis.url });
    app = await boot({ idempotency: { upstash: { url: store.url, token: store.token } } });
  }, 30_000);

  afterAll(async () => {
    await app?.moduleRef.close();
    await store?.close();
    await redis?.stop();
  });

  it('the first add of a window runs EVAL (script not yet known) with INCRBY and PEXPIRE; each later add one EVALSHA with one INCRBY', async () => {
    jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: T0 });
    try {
      await redis.resetStats();
      await app.queue.add(SYNC, { userId: 'cost-1' });
      expect(without(await redis.commandStats(), 'config|resetstat')).toEqual({ evalsha: 1, eval: 1, incrby: 1, pexpire: 1 });
      await redis.resetStats();
      await addTimes(app.queue, 'cost-1', 10);
      expect(without(await redis.commandStats(), 'config|resetstat')).toEqual({ evalsha: 10, incrby: 10 });
    } finally {
      jest.useRealTimers();
    }
  });
});

function without(stats: Record<string, number>, ...names: string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(stats).filter(([name]) => !names.includes(name)));
}
