import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { startEmulator, type CloudTasksEmulator } from '../../libs/cloud-tasks-emulator/src/index.js';
import type { UpstashLocal } from '../../libs/upstash-local/src/index.js';
import {
  DeadLetterService,
  JobEventBus,
  JobHandler,
  JobQueueService,
  JobTransports,
  PermanentError,
  RetryableError,
  type JobContext,
  type JobEvent,
  type JobProcessor,
  type TransportName,
} from '../../libs/cloud-tasks/src/index.js';
import { HTTP_ADAPTERS, type HttpAdapterName } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { waitFor } from '../../libs/cloud-tasks/src/testing/wait-for.js';
import { bootApp, fastQueue, LOCATION, PROJECT, startStore, type IdemApp } from '../idempotency/support/idempotency-app.js';
import { startSwitchableProxy, type SwitchableProxy } from '../support/switchable-proxy.js';

const JOB = 'migrating-sync';
/** At most 50 dispatches at once from the emulator (and BullMQ's worker), as a queue of a real service would have. */
const QUEUE = { ...fastQueue('migrating-sync-queue', 4), rateLimits: { maxConcurrentDispatches: 50 } };
const QUEUES = { [JOB]: QUEUE };
const REDIS_URL = process.env.BULLMQ_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** What a run did, as the side effect the test counts: one entry per processor call, from every app instance. */
interface Run {
  key: string;
  instance: string;
  retryCount: number;
  queueName: string;
  at: number;
}
const runs: Run[] = [];
/** Per idempotency key, what the processor does on its n-th call (default: succeed). */
const behaviours = new Map<string, (call: number) => unknown>();

@JobHandler(JOB)
class MigratingSync implements JobProcessor<{ n: number }> {
  readonly instance = randomUUID();

  async process(data: { n: number }, job: JobContext): Promise<unknown> {
    const call = runs.filter((r) => r.key === job.idempotencyKey).length + 1;
    runs.push({ key: job.idempotencyKey, instance: this.instance, retryCount: job.retryCount, queueName: job.queueName, at: Date.now() });
    const behaviour = behaviours.get(job.idempotencyKey);
    return behaviour ? behaviour(call) : { n: data.n };
  }
}

function runsOf(key: string): Run[] {
  return runs.filter((r) => r.key === key);
}

/** Keys run other than exactly once. */
function notOnce(keys: Iterable<string>): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.key, (counts.get(run.key) ?? 0) + 1);
  return [...keys].map((key): [string, number] => [key, counts.get(key) ?? 0]).filter(([, n]) => n !== 1);
}

/**
 * A job moving between Cloud Tasks and BullMQ, end to end: the real emulator (gRPC in, signed HTTP out), BullMQ on
 * the real Redis, idempotency and dead letters in upstash-local over the same Redis. App instances sit behind one
 * fixed URL, as revisions of a Cloud Run service do while a new one takes the traffic.
 */
describe.each(HTTP_ADAPTERS)('on %s', (adapter: HttpAdapterName) => {
  describe('transports: a job moving between Cloud Tasks and BullMQ', () => {
    let emulator: CloudTasksEmulator;
    let store: UpstashLocal;
    let proxy: SwitchableProxy;
    const prefix = `bull-e2e-${randomUUID().slice(0, 8)}`;
    const apps: IdemApp[] = [];

    /** One app instance routing the job to `transport`, with the BullMQ worker configured (as during a migration). */
    async function instance(transport: TransportName): Promise<IdemApp> {
      const app = await bootApp({
        adapter,
        upstash: store,
        queues: QUEUES,
        handlers: [MigratingSync],
        options: {
          serviceUrl: proxy.url,
          emulatorHost: emulator.grpcAddress,
          transport: { jobs: { [JOB]: transport }, bullmq: { connection: REDIS_URL, prefix } },
        },
      });
      apps.push(app);
      return app;
    }

    beforeAll(async () => {
      [emulator, store, proxy] = await Promise.all([
        // NOTE: ×10, not ×1000: a 1,000-task burst takes seconds to serve here, and the emulator scales the
        // 10-minute dispatch deadline with its clock (60 s real at ×10, 0.6 s at ×1000).
        startEmulator({ port: 0, timeScale: 10, queues: { projectId: PROJECT, location: LOCATION, queues: QUEUES } }),
        startStore(),
        startSwitchableProxy(),
      ]);
    });

    afterEach(async () => {
      await Promise.all(apps.splice(0).map((a) => a.close()));
      await emulator.idle();
      runs.length = 0;
      behaviours.clear();
    });

    afterAll(async () => {
      const queue = new Queue(QUEUE.name, { connection: { url: REDIS_URL }, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
      await Promise.all([emulator?.close(), store?.close(), proxy?.close()]);
    });

    /** Waits until BullMQ holds nothing for the job and the emulator has nothing left to dispatch. */
    async function drained(app: IdemApp): Promise<void> {
      await waitFor(async () => Object.values(await app.app.get(JobTransports).bullmqBacklog()).every((n) => n === 0), { timeoutMs: 60_000, what: 'BullMQ drained' });
      await emulator.idle();
    }

    it('a job routed to BullMQ runs through the pipeline: its processor, its events, its idempotency record', async () => {
      const a = await instance('bullmq');
      proxy.switchTo(a.url);
      const events: JobEvent[] = [];
      a.app.get(JobEventBus).subscribe((e) => events.push(e));
      const job = await a.app.get(JobQueueService).add(JOB, { n: 1 });
      expect(job.duplicate).toBe(false);
      await waitFor(() => events.some((e) => e.type === 'completed'), { timeoutMs: 20_000, what: 'the job completed' });
      expect(runsOf(job.idempotencyKey)).toEqual([expect.objectContaining({ retryCount: 0, queueName: QUEUE.name })]);
      expect(events.map((e) => e.type)).toEqual(['enqueued', 'started', 'completed']);
      expect(emulator.attempts.all()).toHaveLength(0);
      // The same key again: BullMQ still holds the finished job's id, so nothing new is created.
      expect(await a.app.get(JobQueueService).add(JOB, { n: 1 }, { idempotencyKey: job.idempotencyKey })).toMatchObject({ duplicate: true });
      // The claim is done in the shared store: a delivery of the same key over HTTP answers as a duplicate.
      const again = await a.deliver(JOB, { jobName: JOB, data: { n: 1 }, idempotencyKey: job.idempotencyKey, enqueuedAt: new Date().toISOString() });
      expect(again.body).toMatchObject({ success: true, duplicate: true });
      expect(runsOf(job.idempotencyKey)).toHaveLength(1);
    });

    it.each<[TransportName, TransportName]>([
      ['bullmq', 'cloud-tasks'],
      ['cloud-tasks', 'bullmq'],
    ])('1,000 jobs in flight on %s, then the job is routed to %s mid-run: all 1,000 and 200 new ones run exactly once', async (from, to) => {
      const old = await instance(from);
      proxy.switchTo(old.url);
      const first = await old.app.get(JobQueueService).addBulk(Array.from({ length: 1000 }, (_, n) => ({ name: JOB, data: { n } })), { concurrency: 50 });
      await waitFor(() => runs.length >= 100, { timeoutMs: 30_000, what: '100 of the first 1,000 ran' });
      // The new revision takes the traffic; the old one drains and stops.
      const next = await instance(to);
      proxy.switchTo(next.url);
      const [added] = await Promise.all([
        next.app.get(JobQueueService).addBulk(Array.from({ length: 200 }, (_, n) => ({ name: JOB, data: { n: 1000 + n } })), { concurrency: 50 }),
        old.close(),
      ]);
      const keys = [...first, ...added].map((j) => j.idempotencyKey);
      const allRan = () => {
        const ran = new Set(runs.map((r) => r.key));
        return keys.every((k) => ran.has(k));
      };
      await waitFor(allRan, { timeoutMs: 90_000, intervalMs: 50, what: 'all 1,200 jobs to run' });
      await drained(next);
      expect(notOnce(keys)).toEqual([]);
      expect(runs).toHaveLength(1200);
      // Both instances ran some of the first 1,000: the switch happened while they were in flight.
      const firstKeys = new Set(first.map((j) => j.idempotencyKey));
      const byInstance = new Set(runs.filter((r) => firstKeys.has(r.key)).map((r) => r.instance));
      expect(byInstance.size).toBe(2);
    }, 180_000);

    it('a job added on both sides during a switch (same key) runs once', async () => {
      const onBullmq = await instance('bullmq');
      const onCloudTasks = await instance('cloud-tasks');
      proxy.switchTo(onCloudTasks.url);
      const keys = Array.from({ length: 20 }, () => `both-sides:${randomUUID()}`);
      for (const key of keys) {
        const [viaBull, viaTasks] = await Promise.all([
          onBullmq.app.get(JobQueueService).add(JOB, { n: 0 }, { idempotencyKey: key }),
          onCloudTasks.app.get(JobQueueService).add(JOB, { n: 0 }, { idempotencyKey: key }),
        ]);
        expect([viaBull.duplicate, viaTasks.duplicate]).toEqual([false, false]);
      }
      await waitFor(() => keys.every((k) => runsOf(k).length > 0), { timeoutMs: 30_000, what: 'every key ran' });
      await drained(onCloudTasks);
      expect(notOnce(keys)).toEqual([]);
    }, 60_000);

    it('a job that fails twice and then succeeds on BullMQ shows 3 attempts, with the queue config backoff between them', async () => {
      const a = await instance('bullmq');
      proxy.switchTo(a.url);
      const key = `flaky:${randomUUID()}`;
      behaviours.set(key, (call) => {
        if (call <= 2) throw new RetryableError(`flaky ${call}`);
        return { ok: call };
      });
      const events: JobEvent[] = [];
      a.app.get(JobEventBus).subscribe((e) => e.idempotencyKey === key && events.push(e));
      await a.app.get(JobQueueService).add(JOB, { n: 2 }, { idempotencyKey: key });
      await waitFor(() => events.some((e) => e.type === 'completed'), { timeoutMs: 20_000, what: 'the flaky job completed' });
      const attempts = runsOf(key);
      expect(attempts.map((r) => r.retryCount)).toEqual([0, 1, 2]);
      expect(events.filter((e) => e.type === 'retrying').map((e) => e.attempt)).toEqual([1, 2]);
      // migrating-sync-queue: minBackoff 0.1 s, doubling → 100 ms, then 200 ms.
      expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(95);
      expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(195);
    });

    it('on BullMQ, a permanent failure becomes a dead letter at once, and a job out of attempts becomes one after the last', async () => {
      const a = await instance('bullmq');
      proxy.switchTo(a.url);
      const permanent = `permanent:${randomUUID()}`;
      const exhausted = `exhausted:${randomUUID()}`;
      behaviours.set(permanent, () => {
        throw new PermanentError('the account is gone');
      });
      behaviours.set(exhausted, (call) => {
        throw new RetryableError(`still down (${call})`);
      });
      const jobs = a.app.get(JobQueueService);
      await jobs.add(JOB, { n: 3 }, { idempotencyKey: permanent });
      await jobs.add(JOB, { n: 4 }, { idempotencyKey: exhausted });
      const deadLetters = a.app.get(DeadLetterService);
      const deadOf = async (key: string) => (await deadLetters.list({ jobName: JOB, limit: 100 })).items.find((d) => d.idempotencyKey === key);
      await waitFor(async () => (await deadOf(permanent)) !== undefined && (await deadOf(exhausted)) !== undefined, { timeoutMs: 30_000, what: 'both dead letters' });
      expect(await deadOf(permanent)).toMatchObject({ reason: 'permanent', attempts: 1, queue: QUEUE.name });
      expect(await deadOf(exhausted)).toMatchObject({ reason: 'exhausted', attempts: 4 });
      await drained(a);
      expect(runsOf(permanent)).toHaveLength(1);
      expect(runsOf(exhausted).map((r) => r.retryCount)).toEqual([0, 1, 2, 3]);
      for (const key of [permanent, exhausted]) await deadLetters.discard((await deadOf(key))!.id);
    }, 60_000);
  });
});
