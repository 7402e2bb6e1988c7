import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startEmulator, type CloudTasksEmulator } from '../../libs/cloud-tasks-emulator/src/index.js';
import type { UpstashLocal } from '../../libs/upstash-local/src/index.js';
import {
  DeadLetterService,
  EnqueueValidationError,
  JobEventBus,
  JobQueueService,
  PermanentError,
  RetryableError,
  type JobEvent,
} from '../../libs/cloud-tasks/src/index.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { bootApp, controlledHandler, fastQueue, LOCATION, PROJECT, startStore, type IdemApp } from '../idempotency/support/idempotency-app.js';

// NOTE: dead letters live in the shared Redis: job names unique to this run keep its listings to itself.
const run = randomUUID().slice(0, 8);
const DONE = `audit-done-${run}`;
const DYING = `audit-dying-${run}`;
const QUEUES = { [DONE]: fastQueue('audit-done-queue', 3), [DYING]: fastQueue('audit-dying-queue', 3) };
const Done = controlledHandler(DONE);
const Dying = controlledHandler(DYING);
const TIMEOUT = { timeoutMs: 10_000 };

/** The lifecycle lines the module logged (message, then the fields of the structured entry). */
function lifecycleLines(t: IdemApp): Array<{ message: string; fields: Record<string, unknown> }> {
  return t.logger.entries
    .filter((e) => typeof e.message === 'string' && typeof (e.context as { event?: unknown } | undefined)?.event === 'string')
    .map((e) => ({ message: e.message as string, fields: e.context as Record<string, unknown> }));
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('the audit trail: who enqueued a job, through the Cloud Tasks emulator (OIDC verified, Upstash store)', () => {
    let store: UpstashLocal;
    let emu: CloudTasksEmulator;
    let t: IdemApp;
    let jobs: JobQueueService;
    let events: JobEvent[];
    let unsubscribe: () => void;

    beforeAll(async () => {
      store = await startStore();
      emu = await startEmulator({ host: '127.0.0.1', port: 0, httpPort: 0, timeScale: 20, queues: { projectId: PROJECT, location: LOCATION, queues: QUEUES } });
      t = await bootApp({ adapter, upstash: store, queues: QUEUES, handlers: [Done, Dying], options: { emulatorHost: emu.grpcAddress, auth: { mode: 'verify-signature', certsUrl: emu.certsUrl } } });
      jobs = t.app.get(JobQueueService);
    });

    beforeEach(() => {
      events = [];
      unsubscribe = t.app.get(JobEventBus).subscribe((e) => events.push(e));
    });

    afterEach(() => unsubscribe());

    afterAll(async () => {
      const deadLetters = t?.app.get(DeadLetterService);
      for (const jobName of [DONE, DYING]) for (const item of (await deadLetters?.list({ jobName, limit: 100 }))?.items ?? []) await deadLetters!.discard(item.id);
      await t?.close();
      await emu?.close();
      await store?.close();
    });

    const of = (taskName: string) => events.filter((e) => taskName.endsWith(`/${e.taskName}`) || e.taskName === taskName);

    it('the actor given to add() is in the enqueued event and line, the JobContext, and the started and completed events and lines', async () => {
      const job = await jobs.add(DONE, { userId: 'u-7' }, { actor: 'user:7', delay: 0 });
      expect(await emu.waitForTask(job.taskName, TIMEOUT)).toMatchObject({ outcome: 'succeeded' });

      expect(of(job.taskName).map((e) => [e.type, e.actor])).toEqual([
        ['enqueued', 'user:7'],
        ['started', 'user:7'],
        ['completed', 'user:7'],
      ]);
      expect(t.processor(Done).calls.at(-1)).toMatchObject({ idempotencyKey: job.idempotencyKey, actor: 'user:7' });

      const lines = lifecycleLines(t).filter((l) => l.fields.jobName === DONE && job.taskName.endsWith(String(l.fields.taskName)));
      expect(lines.map((l) => [l.fields.event, l.fields.actor])).toEqual([
        ['enqueued', 'user:7'],
        ['started', 'user:7'],
        ['completed', 'user:7'],
      ]);
      // What the audit list asks of each line, and nothing secret (the idempotency key may carry payload values).
      expect(lines[0].fields).toMatchObject({ severity: 'INFO', event: 'enqueued', jobName: DONE, queue: 'audit-done-queue', actor: 'user:7' });
      expect(lines[2].fields).toMatchObject({ severity: 'INFO', event: 'completed', attempt: 1, durationMs: expect.any(Number) });
      for (const line of lines) expect(JSON.stringify(line)).not.toContain(job.idempotencyKey);
    });

    it('a delayed job logs its schedule time with the actor', async () => {
      const job = await jobs.add(DONE, { userId: 'u-8' }, { actor: 'svc:catchup', delay: 3600 });
      expect(of(job.taskName)).toEqual([expect.objectContaining({ type: 'enqueued', actor: 'svc:catchup', scheduleTime: job.scheduleTime!.toISOString() })]);
    });

    it('the actor is in the retrying and dead events and lines, and in the dead letter', async () => {
      t.processor(Dying).behaviour = (_data, job) => {
        if (job.attempt === 1) throw new RetryableError('calendar API answered 503');
        throw new PermanentError('calendar was deleted');
      };
      const job = await jobs.add(DYING, { userId: 'u-9' }, { actor: 'user:9' });
      expect(await emu.waitForTask(job.taskName, TIMEOUT)).toMatchObject({ outcome: 'succeeded' });
      expect(emu.attempts.forTask(job.taskName).map((a) => a.status)).toEqual([500, 202]);

      expect(of(job.taskName).map((e) => [e.type, e.actor])).toEqual([
        ['enqueued', 'user:9'],
        ['started', 'user:9'],
        ['retrying', 'user:9'],
        ['started', 'user:9'],
        ['dead', 'user:9'],
      ]);
      const lines = lifecycleLines(t).filter((l) => l.fields.jobName === DYING && job.taskName.endsWith(String(l.fields.taskName)));
      expect(lines.filter((l) => l.fields.event === 'retrying' || l.fields.event === 'dead').map((l) => [l.fields.severity, l.fields.actor, l.fields.attempt, l.fields.error])).toEqual([
        ['WARNING', 'user:9', 1, 'RetryableError: calendar API answered 503'],
        ['ERROR', 'user:9', 2, 'PermanentError: calendar was deleted'],
      ]);

      const letters = (await t.app.get(DeadLetterService).list({ jobName: DYING, limit: 100 })).items.filter((d) => d.idempotencyKey === job.idempotencyKey);
      expect(letters).toEqual([expect.objectContaining({ actor: 'user:9', reason: 'permanent', attempts: 2 })]);
    });

    it.each([
      ['free text', 'Alice Smith'],
      ['a bearer token', 'Bearer abc.def'],
      ['a JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'],
      ['an empty string', ''],
      ['a long value', 'u'.repeat(129)],
    ])('refuses %s as an actor before anything is sent', async (_what, actor) => {
      await expect(jobs.add(DONE, { userId: 'u-x' }, { actor })).rejects.toBeInstanceOf(EnqueueValidationError);
      expect(events).toEqual([]);
    });

    it('logs a refused token with the IP and user agent, never the token', async () => {
      const token = `not-a-jwt-${randomUUID()}`;
      const res = await t.deliver(DONE, { jobName: DONE, data: {}, idempotencyKey: 'k', enqueuedAt: new Date().toISOString() }, { headers: { authorization: `Bearer ${token}`, 'user-agent': 'audit-probe/1.0' } });
      expect(res.status).toBe(401);
      const refused = t.logger.entries.filter((e) => (e.message as { msg?: string }).msg === 'job request refused').at(-1);
      expect(refused?.message).toMatchObject({ status: 401, jobName: DONE, ip: expect.stringMatching(/127\.0\.0\.1$/), userAgent: 'audit-probe/1.0' });
      expect(JSON.stringify(t.logger.entries)).not.toContain(token);
    });
  });
});
