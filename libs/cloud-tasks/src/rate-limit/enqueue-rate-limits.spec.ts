import 'reflect-metadata';
import { INVALID_OPTIONS, MEMORY_STORES_OUTSIDE_LOCAL_MODE } from '../cloud-tasks.messages.js';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import { EnqueueRateLimitError } from '../errors/enqueue-rate-limit.error.js';
import { EnqueueValidationError } from '../errors/enqueue.error.js';
import type { CloudTasksModuleOptions } from '../interfaces/module-options.interface.js';
import { JobQueueService } from '../queue/job-queue.service.js';
import { compileTestModule, queueConfig, testOptions } from '../testing/index.js';
import { MemoryEnqueueLimiter } from './memory-enqueue.limiter.js';
import { ENQUEUE_RATE_LIMITED, windowText } from './rate-limit.messages.js';

const QUEUES = { ping: queueConfig('ping-queue'), sync: queueConfig('sync-queue') };

async function bootError(options: Partial<CloudTasksModuleOptions>, testMode = true): Promise<Error> {
  const error = await compileTestModule({ options: { queues: QUEUES, ...options }, testMode }).then(
    () => new Error('booted'),
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(CloudTasksConfigError);
  return error;
}

describe('enqueueRateLimits at boot', () => {
  it('refuses limits of unknown jobs, bad limits, windows, keys, fail modes and unknown fields, naming each option', async () => {
    const error = await bootError({
      enqueueRateLimits: {
        nope: { limit: 10, window: '1m' },
        ping: { limit: 0, window: '1 minute' as '1m', key: 'userId' as unknown as () => string, failMode: 'maybe' as 'open', burst: 3 } as never,
        sync: { limit: 1.5, window: '500ms' },
      },
    });
    expect(error.message).toBe(
      INVALID_OPTIONS([
        'enqueueRateLimits["nope"]: no such job in "queues"; limit a job that has a queue config',
        'enqueueRateLimits["ping"].burst: unknown option; remove it or check its spelling',
        'enqueueRateLimits["ping"].limit must be a whole number from 1 to 1000000, got 0',
        'enqueueRateLimits["ping"].window must be a duration from 1s to 1d such as "1m", "30s" or "1h", got "1 minute"',
        'enqueueRateLimits["ping"].key must be a function (data) => key, e.g. (data) => data.userId',
        'enqueueRateLimits["ping"].failMode must be "open" or "closed", got "maybe"',
        'enqueueRateLimits["sync"].limit must be a whole number from 1 to 1000000, got 1.5',
        'enqueueRateLimits["sync"].window must be a duration from 1s to 1d such as "1m", "30s" or "1h", got "500ms"',
      ]),
    );
  });

  it('refuses limits counted in memory against real Cloud Tasks, unless allowMemoryStores says single-instance', async () => {
    const real: Partial<CloudTasksModuleOptions> = { auth: { mode: 'verify-signature' }, idempotency: { store: { claim: async () => ({ won: true }) } as never }, deadLetters: { store: {} as never } };
    const error = await bootError({ ...real, enqueueRateLimits: { ping: { limit: 5, window: '1m' } } }, false);
    expect(error.message).toBe(MEMORY_STORES_OUTSIDE_LOCAL_MODE('Enqueue limits'));
    const { moduleRef } = await compileTestModule({ options: { queues: QUEUES, ...real, allowMemoryStores: 'single-instance', enqueueRateLimits: { ping: { limit: 5, window: '1m' } } }, testMode: false });
    await moduleRef.close();
  });

  it('accepts typed limits and applies them in add()', async () => {
    const { moduleRef } = await compileTestModule({ options: { ...testOptions({ queues: QUEUES }), enqueueRateLimits: { ping: { limit: 1, window: '1h', key: (data: unknown) => (data as { n: number }).n } } } });
    const queue = moduleRef.get(JobQueueService);
    await queue.add('ping', { n: 7 });
    await expect(queue.add('ping', { n: 7 })).rejects.toBeInstanceOf(EnqueueRateLimitError);
    await expect(queue.add('ping', { n: 8 })).resolves.toMatchObject({ jobName: 'ping' });
    await expect(queue.add('ping', { n: Number.NaN })).rejects.toBeInstanceOf(EnqueueValidationError);
    await expect(queue.add('ping', { n: 7 }, { skipRateLimit: true })).resolves.toMatchObject({ jobName: 'ping' });
    await moduleRef.close();
  });
});

describe('schedule fires', () => {
  it('are never counted against an enqueue limit, and name their schedule as actor', async () => {
    const { moduleRef, client } = await compileTestModule({ options: { ...testOptions({ queues: QUEUES }), enqueueRateLimits: { ping: { limit: 1, window: '1h' } } } });
    const queue = moduleRef.get(JobQueueService);
    await queue.add('ping', {});
    await expect(queue.add('ping', {})).rejects.toBeInstanceOf(EnqueueRateLimitError);
    for (const hour of [8, 9]) await queue.addScheduled({ id: 'hourly-ping', scheduleTime: new Date(Date.UTC(2030, 0, 1, hour)) }, 'ping', {});
    expect(client.requests).toHaveLength(3);
    expect(client.envelope(2)).toMatchObject({ actor: 'schedule:hourly-ping', schedule: { id: 'hourly-ping' } });
    await moduleRef.close();
  });
});

describe('MemoryEnqueueLimiter', () => {
  const rule = { jobName: 'sync', limit: 2, windowMs: 60_000 };

  it('counts fixed windows on its clock: the limit per window, afresh at each boundary', async () => {
    let now = 120_000 + 59_999;
    const limiter = new MemoryEnqueueLimiter({ clock: { now: () => now } });
    expect(await limiter.hit(rule, 'u1')).toEqual({ allowed: true, remaining: 1, resetAt: 180_000 });
    expect(await limiter.hit(rule, 'u1')).toEqual({ allowed: true, remaining: 0, resetAt: 180_000 });
    expect(await limiter.hit(rule, 'u1')).toEqual({ allowed: false, remaining: 0, resetAt: 180_000 });
    expect(await limiter.hit({ ...rule, jobName: 'other' }, 'u1')).toMatchObject({ allowed: true });
    now = 180_000;
    expect(await limiter.hit(rule, 'u1')).toEqual({ allowed: true, remaining: 1, resetAt: 240_000 });
  });

  it('stays within maxKeys: ended windows go first, then the oldest', async () => {
    let now = 0;
    const limiter = new MemoryEnqueueLimiter({ maxKeys: 3, clock: { now: () => now } });
    for (const key of ['a', 'b', 'c']) await limiter.hit(rule, key);
    now = 60_000;
    await limiter.hit(rule, 'd');
    expect(limiter.size).toBe(1);
    for (const key of ['e', 'f', 'g']) await limiter.hit(rule, key);
    expect(limiter.size).toBe(3);
  });
});

describe('EnqueueRateLimitError', () => {
  it('names the job, the key and when to retry, in whole seconds (at least 1)', () => {
    const resetAt = new Date(60_000);
    const error = new EnqueueRateLimitError({ jobName: 'sync', key: 'u1', limit: 100, windowMs: 60_000, resetAt }, 59_500);
    expect(error).toMatchObject({ name: 'EnqueueRateLimitError', jobName: 'sync', key: 'u1', retryAfter: 1, resetAt });
    expect(error.message).toBe(ENQUEUE_RATE_LIMITED('sync', 'u1', 100, 60_000, 1, resetAt));
    expect(error.message).toBe('Job "sync" may be enqueued 100 times per 1m for key "u1", and that many already were: retry in 1 s (at 1970-01-01T00:01:00.000Z). Pass skipRateLimit: true for system jobs that must not be limited.');
    expect([windowText(1000), windowText(90_000), windowText(3_600_000), windowText(86_400_000), windowText(1500)]).toEqual(['1s', '90s', '1h', '1d', '1500ms']);
  });
});
