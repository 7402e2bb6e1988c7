import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startEmulator, type CloudTasksEmulator } from '../../libs/cloud-tasks-emulator/src/index.js';
import type { UpstashLocal } from '../../libs/upstash-local/src/index.js';
import { DeadLetterService, JobQueueService, PermanentError, RetryableError, type DeadLetterView, type JobContext } from '../../libs/cloud-tasks/src/index.js';
import { bootApp, controlledHandler, fastQueue, LOCATION, PROJECT, startStore, type ControlledProcessor, type IdemApp } from './support/idempotency-app.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';

// NOTE: dead letters live in the shared Redis (30-day TTL): job names unique to this run keep its listings to itself.
const run = randomUUID().slice(0, 8);
const PERMANENT = `dl-permanent-${run}`;
const EXHAUSTED = `dl-exhausted-${run}`;
const CAPPED = `dl-capped-${run}`;
const QUEUES = {
  [PERMANENT]: fastQueue('idem-dl-permanent', 3),
  [EXHAUSTED]: fastQueue('idem-dl-exhausted', 3),
  [CAPPED]: fastQueue('idem-dl-capped', 3),
};
const Permanent = controlledHandler(PERMANENT);
const Exhausted = controlledHandler(EXHAUSTED);
const Capped = controlledHandler(CAPPED);
const SECRET = `hunter2-${run}`;
const TIMEOUT = { timeoutMs: 10_000 };

/** Fails with `fail(job)` until `succeed` is set, then returns `{ done: attempt }`. */
function failUntilFixed(processor: ControlledProcessor, fail: (data: { password: string }, job: JobContext) => Error): { fix(): void } {
  let fixed = false;
  processor.behaviour = (data, job) => {
    if (fixed) return { done: job.attempt, key: job.idempotencyKey };
    throw fail(data as { password: string }, job);
  };
  return { fix: () => (fixed = true) };
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('dead letters end to end through the Cloud Tasks emulator (OIDC verified, Upstash store)', () => {
    let store: UpstashLocal;
    let emu: CloudTasksEmulator;
    let t: IdemApp;
    let jobs: JobQueueService;
    let deadLetters: DeadLetterService;

    beforeAll(async () => {
      store = await startStore();
      // NOTE: timeScale 20 turns the 0.1 s virtual minBackoff into 5 ms of real time.
      emu = await startEmulator({ host: '127.0.0.1', port: 0, httpPort: 0, timeScale: 20, queues: { projectId: PROJECT, location: LOCATION, queues: QUEUES } });
      t = await bootApp({ adapter,
        upstash: store,
        queues: QUEUES,
        handlers: [Permanent, Exhausted, Capped],
        options: { emulatorHost: emu.grpcAddress, auth: { mode: 'verify-signature', certsUrl: emu.certsUrl } },
      });
      jobs = t.app.get(JobQueueService);
      deadLetters = t.app.get(DeadLetterService);
    });

    afterAll(async () => {
      if (deadLetters) {
        for (const jobName of [PERMANENT, EXHAUSTED, CAPPED]) {
          for (const item of (await deadLetters.list({ jobName, limit: 100 })).items) await deadLetters.discard(item.id);
        }
      }
      await t?.close();
      await emu?.close();
      await store?.close();
    });

    async function onlyDeadLetter(jobName: string): Promise<DeadLetterView> {
      const page = await deadLetters.list({ jobName, limit: 100 });
      expect(page.items).toHaveLength(1);
      return page.items[0];
    }

    /** Re-enqueues the dead letter (the processor now succeeds), waits for the new task, checks the record notes it. */
    async function retryToSuccess(record: DeadLetterView, processor: ControlledProcessor): Promise<void> {
      const runsBefore = processor.calls.length;
      const retried = await deadLetters.retry(record.id);
      expect(retried.idempotencyKey).not.toBe(record.idempotencyKey);
      expect(await emu.waitForTask(retried.taskName, TIMEOUT)).toMatchObject({ outcome: 'succeeded' });
      expect(emu.attempts.forTask(retried.taskName).map((a) => a.status)).toEqual([200]);
      expect(processor.calls.slice(runsBefore).map((c) => [c.idempotencyKey, c.attempt])).toEqual([[retried.idempotencyKey, 1]]);
      const noted = await deadLetters.get(record.id);
      expect(noted).toMatchObject({ id: record.id, retriedAs: retried.taskName, retriedAt: expect.any(String) });
      expect(Date.parse(noted!.retriedAt!)).toBeGreaterThanOrEqual(Date.parse(record.failedAt));
    }

    /** discard() removes the record: gone from get() and list(); a second discard finds nothing. */
    async function discard(record: DeadLetterView): Promise<void> {
      expect(await deadLetters.discard(record.id)).toBe(true);
      expect(await deadLetters.get(record.id)).toBeNull();
      expect((await deadLetters.list({ jobName: record.jobName, limit: 100 })).items).toEqual([]);
      expect(await deadLetters.discard(record.id)).toBe(false);
    }

    it('a PermanentError job: one attempt (202), a "permanent" dead letter with masked secrets; retry() re-runs it to success; discard() removes it', async () => {
      const processor = t.processor(Permanent);
      const fault = failUntilFixed(processor, (data) => new PermanentError(`account rejected password ${data.password}`));
      const job = await jobs.add(PERMANENT, { userId: 'u-perm', password: SECRET, profile: { apiKey: SECRET, name: 'Ada' } });

      expect(await emu.waitForTask(job.taskName, TIMEOUT)).toMatchObject({ outcome: 'succeeded' });
      expect(emu.attempts.forTask(job.taskName).map((a) => a.status)).toEqual([202]);
      expect(processor.runs(job.idempotencyKey)).toBe(1);

      const record = await onlyDeadLetter(PERMANENT);
      expect(record).toMatchObject({
        jobName: PERMANENT,
        queue: 'idem-dl-permanent',
        taskName: job.taskName.split('/').pop(),
        idempotencyKey: job.idempotencyKey,
        reason: 'permanent',
        attempts: 1,
        error: 'PermanentError: account rejected password [REDACTED]',
        data: { userId: 'u-perm', password: '[REDACTED]', profile: { apiKey: '[REDACTED]', name: 'Ada' } },
      });
      expect(JSON.stringify({ ...record, payload: undefined })).not.toContain(SECRET);

      fault.fix();
      await retryToSuccess(record, processor);
      await discard(record);
    });

    it('a job failing (RetryableError) on every attempt of a maxAttempts-3 queue: 3 attempts, an "exhausted" dead letter; retry() re-runs it to success; discard() removes it', async () => {
      const processor = t.processor(Exhausted);
      const fault = failUntilFixed(processor, (data, job) => new RetryableError(`upstream 503 on attempt ${job.attempt} (password=${data.password})`));
      const job = await jobs.add(EXHAUSTED, { userId: 'u-exh', password: SECRET });

      expect(await emu.waitForTask(job.taskName, TIMEOUT)).toMatchObject({ outcome: 'exhausted' });
      const attempts = emu.attempts.forTask(job.taskName);
      expect(attempts.map((a) => [a.attempt, a.retryCount, a.status])).toEqual([[1, 0, 500], [2, 1, 500], [3, 2, 500]]);
      expect(processor.calls.filter((c) => c.idempotencyKey === job.idempotencyKey).map((c) => [c.attempt, c.isFinalAttempt])).toEqual([[1, false], [2, false], [3, true]]);

      const record = await onlyDeadLetter(EXHAUSTED);
      expect(record).toMatchObject({
        jobName: EXHAUSTED,
        queue: 'idem-dl-exhausted',
        taskName: job.taskName.split('/').pop(),
        idempotencyKey: job.idempotencyKey,
        reason: 'exhausted',
        attempts: 3,
        error: 'RetryableError: upstream 503 on attempt 3 (password=[REDACTED])',
        data: { userId: 'u-exh', password: '[REDACTED]' },
      });
      expect(JSON.stringify({ ...record, payload: undefined })).not.toContain(SECRET);

      fault.fix();
      await retryToSuccess(record, processor);
      await discard(record);
    });

    it('a per-job cap below the queue\'s (add(..., { maxAttempts: 2 }) on a 3-attempt queue): exhausted at attempt 2, and the queue\'s attempt 3 is answered as the dead duplicate it is: one dead letter, not two', async () => {
      const processor = t.processor(Capped);
      failUntilFixed(processor, (_data, job) => new RetryableError(`still failing at attempt ${job.attempt}`));
      const job = await jobs.add(CAPPED, { userId: 'u-cap', password: SECRET }, { maxAttempts: 2 });

      const finished = await emu.waitForTask(job.taskName, TIMEOUT);
      const statuses = emu.attempts.forTask(job.taskName).map((a) => a.status);
      expect(statuses.slice(0, 2)).toEqual([500, 500]);
      expect(processor.runs(job.idempotencyKey)).toBe(2);
      const record = await onlyDeadLetter(CAPPED);
      expect(record).toMatchObject({ reason: 'exhausted', attempts: 2, maxAttempts: 2, idempotencyKey: job.idempotencyKey });
      // The third delivery Cloud Tasks makes (the queue allows 3) must end the task without a second dead letter.
      expect(statuses).toEqual([500, 500, 202]);
      expect(finished.outcome).toBe('succeeded');
    });
  });
});
