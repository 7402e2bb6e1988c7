import { JOB_NAMES, QUEUE_CONFIGS } from '../src/config/queue.config.js';
import { FakeGoogleApi } from '../src/domain/fake-google-api.service.js';
import { SAMPLE_JOBS } from '../src/jobs/sample-jobs.js';
import { LOCAL_PROJECT_ID, LOCAL_REGION } from '../src/local-infrastructure.js';
import { startEmulator, type CloudTasksEmulator } from '../libs/cloud-tasks-emulator/src/index.js';
import { jest } from '@jest/globals';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { CloudTasksClientHost, DeadLetterService, JobEventBus, JobQueueService, type JobEvent } from '../libs/cloud-tasks/src/index.js';
import { bootCatchUp, type CatchUpApp } from './support/catchup-app.js';
import { HTTP_ADAPTERS } from '../libs/cloud-tasks/src/testing/http-adapters.js';

/**
 * The whole chain, for real: JobQueueService.add → @google-cloud/tasks over gRPC → emulator → HTTP with a signed
 * OIDC token → OIDC guard (verify-signature against the emulator's /certs) → idempotency → processor.
 */
describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('CatchUp through the Cloud Tasks emulator', () => {
    const TIME_SCALE = 1000;
    let emulator: CloudTasksEmulator;
    let catchup: CatchUpApp;
    let jobs: JobQueueService;
    const events: JobEvent[] = [];
    let credentialLookups: { mock: { calls: unknown[] } };

    beforeAll(async () => {
      emulator = await startEmulator({ port: 0, httpPort: 0, timeScale: TIME_SCALE, queues: { projectId: LOCAL_PROJECT_ID, location: LOCAL_REGION, queues: QUEUE_CONFIGS } });
      catchup = await bootCatchUp({ adapter, emulator });
      jobs = catchup.app.get(JobQueueService);
      const client = await catchup.app.get(CloudTasksClientHost).client();
      credentialLookups = jest.spyOn(client.auth, 'getClient');
      catchup.app.get(JobEventBus).subscribe((e) => events.push(e));
    });
    afterAll(async () => {
      await catchup?.close();
      await emulator?.close();
    });

    const attemptsOf = (taskName: string) => emulator.attempts.forTask(taskName);
    const processed = (taskName: string, type: JobEvent['type']) => events.filter((e) => taskName.endsWith(`/${e.taskName}`) && e.type === type);

    it.each(JOB_NAMES.map((n) => [n]))('%s: add → emulator → signed HTTP → processor, once', async (jobName) => {
      const job = await jobs.add(jobName, SAMPLE_JOBS[jobName]);
      const finished = await emulator.waitForTask(job.taskName, { timeoutMs: 20_000 });
      expect(finished.outcome).toBe('succeeded');
      expect(attemptsOf(job.taskName).map((a) => a.status)).toEqual([200]);
      expect(processed(job.taskName, 'completed')).toHaveLength(1);
    });

    it('a delayed job runs after its delay (on the emulator clock), not before', async () => {
      const before = emulator.clock.now();
      const job = await jobs.add('notification-reminder', { userId: 'u2', reminderId: 'rem-2', channel: 'push' }, { delay: 120 });
      await emulator.waitForTask(job.taskName, { timeoutMs: 20_000 });
      const [attempt] = attemptsOf(job.taskName);
      expect(attempt.status).toBe(200);
      expect(attempt.virtualTime - before).toBeGreaterThanOrEqual(119_000);
    });

    it('a job that throws RetryableError twice then succeeds shows 3 attempts, with Cloud Tasks backoff between them', async () => {
      catchup.app.get(FakeGoogleApi).failNext('u2', 2, 'transient');
      const job = await jobs.add('google-contacts-sync', { userId: 'u2' });
      const finished = await emulator.waitForTask(job.taskName, { timeoutMs: 20_000 });
      expect(finished.outcome).toBe('succeeded');
      const attempts = attemptsOf(job.taskName);
      expect(attempts.map((a) => [a.status, a.retryCount])).toEqual([[500, 0], [500, 1], [200, 2]]);
      // google-contacts-sync-queue: minBackoff 30s, doubling → 30 s then 60 s (virtual), give or take scheduling jitter.
      expect(attempts[1].virtualTime - attempts[0].virtualTime).toBeGreaterThanOrEqual(29_000);
      expect(attempts[2].virtualTime - attempts[1].virtualTime).toBeGreaterThanOrEqual(59_000);
      expect(processed(job.taskName, 'retrying')).toHaveLength(2);
      expect(processed(job.taskName, 'completed')).toHaveLength(1);
    });

    it('a PermanentError job is attempted once, answered 202 dead, and dead-lettered', async () => {
      const job = await jobs.add('token-refresh', { userId: 'u3' });
      const finished = await emulator.waitForTask(job.taskName, { timeoutMs: 20_000 });
      expect(finished.outcome).toBe('succeeded');
      expect(attemptsOf(job.taskName).map((a) => a.status)).toEqual([202]);
      const { items } = await catchup.app.get(DeadLetterService).list({ jobName: 'token-refresh' });
      expect(items.find((d) => d.idempotencyKey === job.idempotencyKey)).toMatchObject({ reason: 'permanent', attempts: 1, error: expect.stringMatching(/revoked/i) });
    });

    it('adding the same idempotency key twice creates one task and runs the job once', async () => {
      const first = await jobs.add('calendar-sync', { userId: 'u2' }, { idempotencyKey: 'sync-u2-once' });
      const second = await jobs.add('calendar-sync', { userId: 'u2' }, { idempotencyKey: 'sync-u2-once' });
      expect(second).toMatchObject({ taskName: first.taskName, duplicate: true });
      await emulator.waitForTask(first.taskName, { timeoutMs: 20_000 });
      expect(attemptsOf(first.taskName)).toHaveLength(1);
      expect(processed(first.taskName, 'completed')).toHaveLength(1);
    });

    it('in emulator mode the client never looked up Google credentials (no ADC search, no metadata-server probe)', () => {
      expect(events.some((e) => e.type === 'enqueued')).toBe(true);
      expect(credentialLookups.mock.calls).toHaveLength(0);
    });
  });
});
