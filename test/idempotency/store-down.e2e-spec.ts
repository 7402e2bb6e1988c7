import { afterEach, describe, expect, it } from '@jest/globals';
import type { UpstashLocal } from '../../libs/upstash-local/src/index.js';
import { startUpstashLocal } from '../../libs/upstash-local/src/index.js';
import { DeadLetterService } from '../../libs/cloud-tasks/src/index.js';
import { StoreOutbox } from '../../libs/cloud-tasks/src/idempotency/store-outbox.js';
import { bootApp, controlledHandler, fastQueue, newEnvelope, type IdemApp } from './support/idempotency-app.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';

const JOB = 'idem-store-down';
const QUEUES = { [JOB]: fastQueue('idem-store-down-queue') };
const Work = controlledHandler(JOB);
/** Nothing listens there: upstash-local answers every command 503 (its Redis is unreachable). */
const DEAD_REDIS = 'redis://127.0.0.1:1';

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('idempotency store down: upstash-local up with its Redis unreachable, or the REST endpoint gone', () => {
    const cleanup: Array<{ close(): Promise<void> }> = [];
    afterEach(async () => {
      for (const item of cleanup.splice(0).reverse()) await item.close();
    });

    async function brokenStore(port = 0): Promise<UpstashLocal> {
      const store = await startUpstashLocal({ port, token: `idem-e2e-down-${Date.now()}`, redisUrl: DEAD_REDIS });
      cleanup.push(store);
      return store;
    }

    async function app(store: { url: string; token: string }, failMode: 'open' | 'closed'): Promise<IdemApp> {
      const booted = await bootApp({ adapter, upstash: store, queues: QUEUES, handlers: [Work], failMode });
      cleanup.push(booted);
      return booted;
    }

    it("failMode 'open': every job runs (200), each degraded run is logged with a counter; their done records are written once the store is back (replays are duplicates)", async () => {
      const down = await brokenStore();
      const t = await app(down, 'open');
      const work = t.processor(Work);
      const jobs = [newEnvelope(JOB, { n: 1 }), newEnvelope(JOB, { n: 2 }), newEnvelope(JOB, { n: 3 })];

      for (const job of jobs) {
        const res = await t.deliver(JOB, job);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ success: true, result: { key: job.idempotencyKey, run: 1 } });
      }
      expect(jobs.map((j) => work.runs(j.idempotencyKey))).toEqual([1, 1, 1]);
      expect(down.stats().redisUnavailable).toBeGreaterThanOrEqual(3); // the store really was down for each claim
      expect(t.claims.unclaimedRuns).toBe(3);
      const warnings = t.logger.entries.filter((e) => e.level === 'warn' && String((e.message as { msg?: string }).msg).includes('running without a claim (failMode open)'));
      expect(warnings.map((w) => w.message)).toEqual(
        jobs.map((job, i) => expect.objectContaining({ jobName: JOB, unclaimedRuns: i + 1, error: expect.stringContaining('Redis is unavailable') })),
      );
      expect(warnings.every((w) => w.context === 'CloudTasks')).toBe(true);

      // Recovery: a healthy store on the same port; the same app's client reaches it and claims work again.
      await down.close();
      const healthy = await startUpstashLocal({ port: down.port, token: down.token });
      cleanup.push(healthy);
      // The done records of the runs made without a claim reach the store once it answers: their replays are duplicates.
      expect(await t.app.get(StoreOutbox).drain(15_000)).toBe(0);
      for (const job of jobs) {
        expect((await t.deliver(JOB, job)).body).toEqual({ success: true, duplicate: true, result: { key: job.idempotencyKey, run: 1 } });
      }
      expect(jobs.map((j) => work.runs(j.idempotencyKey))).toEqual([1, 1, 1]);
      const fresh = newEnvelope(JOB, { n: 4 });
      expect((await t.deliver(JOB, fresh)).body).toEqual({ success: true, result: { key: fresh.idempotencyKey, run: 1 } });
      expect((await t.deliver(JOB, fresh)).body).toEqual({ success: true, duplicate: true, result: { key: fresh.idempotencyKey, run: 1 } });
      expect(work.runs(fresh.idempotencyKey)).toBe(1);
      expect(t.claims.unclaimedRuns).toBe(3);
    });

    it("failMode 'closed': 503 and nothing runs; after recovery, redelivering every 503'd job completes each exactly once", async () => {
      const down = await brokenStore();
      const t = await app(down, 'closed');
      const work = t.processor(Work);
      const jobs = Array.from({ length: 8 }, (_, n) => newEnvelope(JOB, { n }));

      const refused = await Promise.all(jobs.map((job) => t.deliver(JOB, job)));
      for (const res of refused) {
        expect(res.status).toBe(503);
        expect(res.body).toEqual({ error: 'Idempotency store unreachable; retry later.', retryable: true });
      }
      expect(work.calls).toHaveLength(0);
      expect(t.claims.unclaimedRuns).toBe(0);
      const warnings = t.logger.entries.filter((e) => e.level === 'warn' && String((e.message as { msg?: string }).msg).includes('answering 503 (failMode closed)'));
      expect(warnings).toHaveLength(jobs.length);

      // The final attempt of another task meets the outage too: Cloud Tasks stops after this 503, so it must leave a
      // dead letter, written once the store answers again.
      const last = newEnvelope(JOB, { n: 'final' });
      expect((await t.deliver(JOB, last, { headers: { 'x-cloudtasks-taskretrycount': '2' } })).status).toBe(503);

      // Recovery: upstash-local restarted on the same port with its Redis back. Cloud Tasks redelivers each 503'd task
      // (twice here, concurrently, as at-least-once delivery may).
      await down.close();
      const healthy = await startUpstashLocal({ port: down.port, token: down.token });
      cleanup.push(healthy);
      expect(await t.app.get(StoreOutbox).drain(15_000)).toBe(0);
      const letters = (await t.app.get(DeadLetterService).list({ jobName: JOB, limit: 100 })).items.filter((d) => d.idempotencyKey === last.idempotencyKey);
      expect(letters).toEqual([expect.objectContaining({ reason: 'exhausted', error: expect.stringContaining('idempotency store was unreachable') })]);
      for (const letter of letters) await t.app.get(DeadLetterService).discard(letter.id);
      const redelivered = await Promise.all([...jobs, ...jobs].map((job) => t.deliver(JOB, job, { headers: { 'x-cloudtasks-taskretrycount': '1' } })));
      for (const res of redelivered) expect([200, 409]).toContain(res.status);
      const completedKeys = redelivered.filter((r) => r.status === 200 && !r.body.duplicate).map((r) => (r.body.result as { key: string }).key);
      expect(completedKeys.sort()).toEqual(jobs.map((j) => j.idempotencyKey).sort());
      for (const job of jobs) {
        const res = await t.deliver(JOB, job, { headers: { 'x-cloudtasks-taskretrycount': '2' } });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ success: true, duplicate: true, result: { key: job.idempotencyKey, run: 1 } });
      }
      expect(jobs.map((j) => work.runs(j.idempotencyKey))).toEqual(jobs.map(() => 1));
      expect(work.calls).toHaveLength(jobs.length);
    });

    it("failMode 'closed' with the REST endpoint itself gone (server stopped): 503, nothing runs; restarted on the same port, each job completes once", async () => {
      const first = await startUpstashLocal({ port: 0, token: `idem-e2e-rest-${Date.now()}` });
      cleanup.push(first);
      const t = await app(first, 'closed');
      const work = t.processor(Work);
      await first.close();
      const jobs = Array.from({ length: 4 }, (_, n) => newEnvelope(JOB, { n }));

      // NOTE: @upstash/redis retries a refused connection 5 times with exponential backoff (~4.3 s) before it fails.
      const refused = await Promise.all(jobs.map((job) => t.deliver(JOB, job)));
      expect(refused.map((r) => r.status)).toEqual(jobs.map(() => 503));
      expect(work.calls).toHaveLength(0);
      expect(t.logger.entries.filter((e) => e.level === 'warn' && (e.message as { error?: string }).error === 'fetch failed')).toHaveLength(jobs.length);

      const back = await startUpstashLocal({ port: first.port, token: first.token });
      cleanup.push(back);
      for (const job of jobs) {
        const res = await t.deliver(JOB, job, { headers: { 'x-cloudtasks-taskretrycount': '1' } });
        expect(res.body).toEqual({ success: true, result: { key: job.idempotencyKey, run: 1 } });
        expect((await t.deliver(JOB, job)).body).toEqual({ success: true, duplicate: true, result: { key: job.idempotencyKey, run: 1 } });
      }
      expect(work.calls).toHaveLength(jobs.length);
    }, 15_000);
  });
});
