import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { startEmulator, type CloudTasksEmulator } from '../../libs/cloud-tasks-emulator/src/index.js';
import { JobEventBus, type JobEvent } from '../../libs/cloud-tasks/src/index.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { USER_JOBS_PER_MINUTE } from '../../src/config/enqueue-limits.config.js';
import { QUEUE_CONFIGS } from '../../src/config/queue.config.js';
import { DEV_ACTOR } from '../../src/dev/dev-jobs.controller.js';
import { LOCAL_PROJECT_ID, LOCAL_REGION } from '../../src/local-infrastructure.js';
import { bootCatchUp, type CatchUpApp } from '../support/catchup-app.js';

// NOTE: only Date is faked, frozen one second into a minute of its own per test, so all the adds of a test fall in one
// window. The minutes are the current one and the next few: the emulator (on the real clock) accepts the schedule times.
const REAL_TIMERS = ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] as const;
const MINUTE = 60_000;
const WINDOW_START = Math.floor(Date.now() / MINUTE) * MINUTE;

jest.setTimeout(30_000);

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('CatchUp: user-triggered jobs limited per user through the dev endpoint', () => {
    let emulator: CloudTasksEmulator;
    let catchup: CatchUpApp;
    let minute = 0;

    /** POSTs to the dev endpoint; `delay` keeps the jobs in the emulator for the test's length. */
    const enqueue = async (jobName: string, data: unknown, query = 'delay=3600') => {
      const res = await fetch(`${catchup.url}/dev/jobs/${jobName}?${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
    };

    beforeAll(async () => {
      emulator = await startEmulator({ host: '127.0.0.1', port: 0, httpPort: 0, timeScale: 1, queues: { projectId: LOCAL_PROJECT_ID, location: LOCAL_REGION, queues: QUEUE_CONFIGS } });
      catchup = await bootCatchUp({ emulator, adapter });
    });

    beforeEach(() => {
      // NOTE: each test in a minute of its own: the memory limiter's counts of one test never meet another's.
      jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: WINDOW_START + minute++ * MINUTE + 1_000 });
    });

    afterEach(() => {
      jest.useRealTimers();
    });

    afterAll(async () => {
      await catchup?.close();
      await emulator?.close();
    });

    it('100 calendar syncs for one user pass; the 101st answers 429 with Retry-After; another user and another sync job are unaffected', async () => {
      for (let i = 0; i < USER_JOBS_PER_MINUTE; i++) expect((await enqueue('calendar-sync', { userId: 'u1' })).status).toBe(201);

      const limited = await enqueue('calendar-sync', { userId: 'u1' });
      expect(limited.status).toBe(429);
      expect(limited.retryAfter).toBe('59');
      expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', jobName: 'calendar-sync', retryAfter: 59, message: expect.stringContaining('"u1"') });

      expect((await enqueue('calendar-sync', { userId: 'u2' })).status).toBe(201);
      expect((await enqueue('google-contacts-sync', { userId: 'u1' })).status).toBe(201);
    });

    it('adaptive-sync and google-contacts-sync are limited the same way; system jobs are not limited', async () => {
      for (let i = 0; i < USER_JOBS_PER_MINUTE; i++) await enqueue('adaptive-sync', { userId: 'u3', reason: 'user-request' });
      expect((await enqueue('adaptive-sync', { userId: 'u3', reason: 'user-request' })).status).toBe(429);
      for (let i = 0; i < USER_JOBS_PER_MINUTE; i++) await enqueue('google-contacts-sync', { userId: 'u3' });
      expect((await enqueue('google-contacts-sync', { userId: 'u3' })).status).toBe(429);
      for (let i = 0; i <= USER_JOBS_PER_MINUTE; i++) expect((await enqueue('token-refresh', { userId: 'u3' })).status).toBe(201);
    });

    it('a sync without a userId is refused as invalid (400), not counted under some shared key', async () => {
      const res = await enqueue('calendar-sync', {});
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('enqueueRateLimits["calendar-sync"].key(data)');
    });

    it('names the actor of each add: ?actor=, else the dev endpoint', async () => {
      const events: JobEvent[] = [];
      const unsubscribe = catchup.app.get(JobEventBus).subscribe((e) => events.push(e));
      try {
        await enqueue('calendar-sync', { userId: 'u4' }, 'delay=3600&actor=user:u4');
        await enqueue('calendar-sync', { userId: 'u4' });
        expect((await enqueue('calendar-sync', { userId: 'u4' }, 'delay=3600&actor=Robert%27);DROP')).status).toBe(400);
      } finally {
        unsubscribe();
      }
      expect(events.filter((e) => e.type === 'enqueued').map((e) => e.actor)).toEqual(['user:u4', DEV_ACTOR]);
    });
  });
});
