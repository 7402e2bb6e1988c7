import 'reflect-metadata';
import { jest } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { DELAY_TOO_FAR, UNKNOWN_JOB } from '../cloud-tasks.messages.js';
import { BulkEnqueueError } from '../errors/bulk-enqueue.error.js';
import { EnqueueError, EnqueueValidationError } from '../errors/enqueue.error.js';
import type { BulkJob, EnqueuedJob } from '../interfaces/enqueue.interface.js';
import type { JobEnvelope } from '../interfaces/job.interface.js';
import {
  createdThen,
  compileTestModule,
  decodeTaskBody,
  FakeCloudTasksClient,
  GrpcCode,
  grpcError,
  LOCATION,
  PROJECT,
  queueConfig,
  RecordingLogger,
  SERVICE_ACCOUNT,
  SERVICE_URL,
  type CreateTaskRequest,
} from '../testing/index.js';
import { JobQueueService } from './job-queue.service.js';

const QUEUES = {
  ping: queueConfig('ping-queue'),
  report: queueConfig('report-queue', { maxAttempts: 5 }, { dispatchDeadline: 300 }),
  forever: queueConfig('forever-queue', { maxAttempts: -1 }),
};
const PING_QUEUE_PATH = `projects/${PROJECT}/locations/${LOCATION}/queues/ping-queue`;
const DAY_MS = 86_400_000;

/** Lets pending I/O callbacks (the fake client answers on setImmediate) and promise chains run. */
async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Rejection of `promise`, failing the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as Error,
  );
}

describe('JobQueueService', () => {
  let moduleRef: TestingModule;
  let client: FakeCloudTasksClient;
  let queue: JobQueueService;

  beforeEach(async () => {
    ({ moduleRef, client } = await compileTestModule({ options: { queues: QUEUES, maxTaskBytes: 4096 } }));
    queue = moduleRef.get(JobQueueService);
  });

  afterEach(async () => {
    jest.useRealTimers();
    await moduleRef.close();
  });

  describe('checks before any network call', () => {
    async function refused(promise: Promise<unknown>): Promise<string> {
      const error = await rejectionOf(promise);
      expect(error).toBeInstanceOf(EnqueueValidationError);
      expect(client.requests).toHaveLength(0);
      return error.message;
    }

    it('refuses an unknown job, listing the known ones', async () => {
      const error = await rejectionOf(queue.add('nope', {}));
      expect(error).toBeInstanceOf(EnqueueValidationError);
      expect(error.message).toBe(UNKNOWN_JOB('nope', ['ping', 'report', 'forever']));
      expect((error as EnqueueValidationError).jobName).toBe('nope');
      expect(client.requests).toHaveLength(0);
    });

    it('does not treat Object.prototype members as jobs', async () => {
      expect(await refused(queue.add('constructor', {}))).toBe(UNKNOWN_JOB('constructor', ['ping', 'report', 'forever']));
    });

    it('refuses a delay of more than 30 days', async () => {
      expect(await refused(queue.add('ping', {}, { delay: 30 * 86_400 + 1 }))).toMatch(/more than 30 days ahead, Cloud Tasks' limit/);
      // A BullMQ-style delay in milliseconds (one hour) is 41 days in seconds: refused, saying how to read it.
      expect(await refused(queue.add('ping', {}, { delay: 3_600_000 }))).toBe(DELAY_TOO_FAR(3_600_000));
      expect(DELAY_TOO_FAR(3_600_000)).toContain("delay is in seconds here (BullMQ's is in milliseconds: 3600000 ms would be delay: 3600)");
    });

    it('refuses a scheduleTime more than 30 days ahead', async () => {
      expect(await refused(queue.add('ping', {}, { scheduleTime: new Date(Date.now() + 31 * DAY_MS) }))).toMatch(/more than 30 days ahead/);
    });

    it('accepts exactly 30 days', async () => {
      await expect(queue.add('ping', {}, { delay: 30 * 86_400 })).resolves.toMatchObject({ duplicate: false });
      expect(client.requests).toHaveLength(1);
    });

    it('refuses a scheduleTime in the past', async () => {
      const past = new Date(Date.now() - 60_000);
      expect(await refused(queue.add('ping', {}, { scheduleTime: past }))).toBe(`scheduleTime ${past.toISOString()} is in the past; use delay: 0 to run now.`);
    });

    it('refuses an invalid scheduleTime and a negative or non-finite delay', async () => {
      expect(await refused(queue.add('ping', {}, { scheduleTime: new Date('nope') }))).toBe('scheduleTime must be a valid Date.');
      expect(await refused(queue.add('ping', {}, { delay: -1 }))).toBe('delay must be a number of seconds ≥ 0, got -1.');
      expect(await refused(queue.add('ping', {}, { delay: Number.NaN }))).toBe('delay must be a number of seconds ≥ 0, got NaN.');
    });

    it('refuses delay and scheduleTime together', async () => {
      expect(await refused(queue.add('ping', {}, { delay: 10, scheduleTime: new Date(Date.now() + 60_000) }))).toBe(
        'Give either delay (seconds) or scheduleTime (Date), not both.',
      );
    });

    it('refuses a task over maxTaskBytes, saying how big it is', async () => {
      const message = await refused(queue.add('ping', { blob: 'x'.repeat(5000) }));
      expect(message).toMatch(/^Job "ping": the task is \d+ bytes, over the 4096-byte limit \(maxTaskBytes\)\./);
      expect(Number(/the task is (\d+) bytes/.exec(message)![1])).toBeGreaterThan(5000);
    });

    it('accepts a task just under maxTaskBytes', async () => {
      await queue.add('ping', { blob: 'x'.repeat(3500) });
      expect(client.requests).toHaveLength(1);
    });

    it('refuses a task over the 1 MiB default limit', async () => {
      const { moduleRef: other, client: otherClient } = await compileTestModule({ options: { queues: QUEUES } });
      const error = await rejectionOf(other.get(JobQueueService).add('ping', { blob: 'x'.repeat(1024 * 1024) }));
      expect(error).toBeInstanceOf(EnqueueValidationError);
      expect(error.message).toMatch(/over the 1048576-byte limit \(maxTaskBytes\)/);
      expect(otherClient.requests).toHaveLength(0);
      await other.close();
    });

    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    it.each<[string, unknown, string]>([
      ['a function', { fn: () => 1 }, 'Job "ping": data.fn is a function, which JSON cannot carry.'],
      ['a function at the top', () => 1, 'Job "ping": data is a function, which JSON cannot carry.'],
      ['a BigInt', { n: 10n }, 'Job "ping": data.n is a bigint, which JSON cannot carry.'],
      ['a symbol', { s: Symbol('x') }, 'Job "ping": data.s is a symbol, which JSON cannot carry.'],
      ['NaN', { n: Number.NaN }, 'Job "ping": data.n is NaN, which JSON turns into null.'],
      ['Infinity in an array', { list: [1, Number.POSITIVE_INFINITY] }, 'Job "ping": data.list[1] is Infinity, which JSON turns into null.'],
      ['a cycle', cycle, 'Job "ping": data.self is a circular reference.'],
      ['undefined', undefined, 'Job "ping": data is undefined; pass an object (or null).'],
    ])('refuses data that is not JSON: %s', async (_label, data, message) => {
      expect(await refused(queue.add('ping', data))).toBe(message);
    });

    it.each([14, 1801, 30.5])('refuses dispatchDeadline %p (15–1800 whole seconds)', async (dispatchDeadline) => {
      expect(await refused(queue.add('ping', {}, { dispatchDeadline }))).toBe(
        `Job "ping": dispatchDeadline must be a whole number of seconds from 15 to 1800, got ${dispatchDeadline}.`,
      );
    });

    it("refuses a per-job maxAttempts above the queue's", async () => {
      expect(await refused(queue.add('ping', {}, { maxAttempts: 4 }))).toBe(`Job "ping": maxAttempts 4 exceeds its queue's maxAttempts 3.`);
    });

    it('refuses a per-job maxAttempts below 1', async () => {
      expect(await refused(queue.add('ping', {}, { maxAttempts: 0 }))).toBe('Job "ping": maxAttempts must be a whole number ≥ 1, got 0.');
    });

    it('allows any per-job maxAttempts on an unlimited queue', async () => {
      await expect(queue.add('forever', {}, { maxAttempts: 1000 })).resolves.toMatchObject({ queue: 'forever-queue' });
      expect(client.envelope(0).maxAttempts).toBe(1000);
    });

    it('refuses an empty or oversized idempotencyKey', async () => {
      const message = 'Job "ping": idempotencyKey must be a non-empty string of at most 500 characters.';
      expect(await refused(queue.add('ping', {}, { idempotencyKey: '' }))).toBe(message);
      expect(await refused(queue.add('ping', {}, { idempotencyKey: 'k'.repeat(501) }))).toBe(message);
    });
  });

  describe('the task', () => {
    const NOW = Date.parse('2026-03-01T12:00:00.000Z');

    beforeEach(() => {
      jest.useFakeTimers({ now: NOW, doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    });

    it('is an HTTP POST back to {serviceUrl}/api/jobs/{job} with an OIDC token for the service URL', async () => {
      const job = await queue.add('ping', { userId: 'u1' });
      expect(client.requests).toHaveLength(1);
      const [request] = client.requests;
      expect(request.parent).toBe(PING_QUEUE_PATH);
      expect(request.task?.name).toBe(job.taskName);
      expect(request.task?.httpRequest).toMatchObject({
        httpMethod: 'POST',
        url: `${SERVICE_URL}/api/jobs/ping`,
        headers: { 'Content-Type': 'application/json' },
        oidcToken: { serviceAccountEmail: SERVICE_ACCOUNT, audience: SERVICE_URL },
      });
      expect(request.task?.scheduleTime).toBeUndefined();
      expect(request.task?.dispatchDeadline).toBeUndefined();
    });

    it('carries the envelope { jobName, data, idempotencyKey, enqueuedAt } as its body', async () => {
      const job = await queue.add('ping', { userId: 'u1', nested: { list: [1, 'two', null] } });
      const body = client.tasks[0].httpRequest?.body;
      expect(Buffer.isBuffer(body) || typeof body === 'string').toBe(true);
      expect(decodeTaskBody(body)).toEqual({
        jobName: 'ping',
        data: { userId: 'u1', nested: { list: [1, 'two', null] } },
        idempotencyKey: job.idempotencyKey,
        enqueuedAt: '2026-03-01T12:00:00.000Z',
      });
    });

    it('is named {queuePath}/tasks/{id} and resolves with the EnqueuedJob', async () => {
      const job = await queue.add('ping', { userId: 'u1' }, { idempotencyKey: 'user-u1' });
      expect(job).toEqual<EnqueuedJob>({
        taskName: expect.stringMatching(new RegExp(`^${PING_QUEUE_PATH}/tasks/[A-Za-z0-9_-]{1,500}$`)) as unknown as string,
        jobName: 'ping',
        queue: 'ping-queue',
        idempotencyKey: 'user-u1',
        scheduleTime: undefined,
        duplicate: false,
      });
    });

    it('sets scheduleTime from delay', async () => {
      const job = await queue.add('ping', {}, { delay: 90 });
      expect(client.tasks[0].scheduleTime).toEqual({ seconds: NOW / 1000 + 90, nanos: 0 });
      expect(job.scheduleTime).toEqual(new Date(NOW + 90_000));
    });

    it('keeps fractions of a second in scheduleTime', async () => {
      await queue.add('ping', {}, { delay: 1.25 });
      expect(client.tasks[0].scheduleTime).toEqual({ seconds: NOW / 1000 + 1, nanos: 250_000_000 });
    });

    it('sets scheduleTime from a Date', async () => {
      const at = new Date(NOW + 3 * DAY_MS);
      const job = await queue.add('ping', {}, { scheduleTime: at });
      expect(client.tasks[0].scheduleTime).toEqual({ seconds: (NOW + 3 * DAY_MS) / 1000, nanos: 0 });
      expect(job.scheduleTime).toEqual(at);
    });

    it('sets dispatchDeadline (and tells the handler in the envelope)', async () => {
      await queue.add('ping', {}, { dispatchDeadline: 120, maxAttempts: 2 });
      expect(client.tasks[0].dispatchDeadline).toEqual({ seconds: 120, nanos: 0 });
      expect(client.envelope(0)).toMatchObject({ dispatchDeadline: 120, maxAttempts: 2 });
    });

    it("uses the queue config's dispatchDeadline by default", async () => {
      await queue.add('report', {});
      expect(client.tasks[0].dispatchDeadline).toEqual({ seconds: 300, nanos: 0 });
      expect(client.requests[0].parent).toBe(`projects/${PROJECT}/locations/${LOCATION}/queues/report-queue`);
    });

    it('never doubles the slash when serviceUrl ends with one, and honours handlerPath', async () => {
      const { moduleRef: other, client: otherClient } = await compileTestModule({
        options: { queues: QUEUES, serviceUrl: 'https://svc.example.test/', handlerPath: '/internal/tasks/' },
      });
      await other.get(JobQueueService).add('ping', {});
      expect(otherClient.tasks[0].httpRequest).toMatchObject({
        url: 'https://svc.example.test/internal/tasks/ping',
        oidcToken: { audience: 'https://svc.example.test' },
      });
      await other.close();
    });
  });

  describe('idempotency keys and task names', () => {
    const idOf = (job: EnqueuedJob) => job.taskName.slice(job.taskName.lastIndexOf('/') + 1);

    it('deduplicate: the same data in any key order gives one key and one task name', async () => {
      const first = await queue.add('ping', { a: 1, b: 2, nested: { x: [1, { p: 1, q: 2 }], y: true } }, { deduplicate: true });
      const second = await queue.add('ping', { nested: { y: true, x: [1, { q: 2, p: 1 }] }, b: 2, a: 1 }, { deduplicate: true });
      expect(first.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
      expect(second.idempotencyKey).toBe(first.idempotencyKey);
      expect(second.taskName).toBe(first.taskName);
      expect(client.envelope(1).idempotencyKey).toBe(first.idempotencyKey);
    });

    it('deduplicate: different data, or another job, gives a different key', async () => {
      const a = await queue.add('ping', { a: 1, b: 2 }, { deduplicate: true });
      const b = await queue.add('ping', { a: 1, b: 3 }, { deduplicate: true });
      const c = await queue.add('report', { a: 1, b: 2 }, { deduplicate: true });
      const d = await queue.add('ping', [1, 2], { deduplicate: true });
      const e = await queue.add('ping', [2, 1], { deduplicate: true });
      expect(new Set([a, b, c, d, e].map((j) => j.idempotencyKey)).size).toBe(5);
      expect(new Set([a, b, c, d, e].map((j) => j.taskName)).size).toBe(5);
    });

    it('deduplicate is stable across module instances (and so across processes)', async () => {
      const first = await queue.add('ping', { a: 1, b: 2 }, { deduplicate: true });
      const { moduleRef: other } = await compileTestModule({ options: { queues: QUEUES } });
      const second = await other.get(JobQueueService).add('ping', { b: 2, a: 1 }, { deduplicate: true });
      expect(second.idempotencyKey).toBe(first.idempotencyKey);
      expect(second.taskName).toBe(first.taskName);
      await other.close();
    });

    it('an explicit idempotencyKey gives a deterministic task name, whatever the data', async () => {
      const first = await queue.add('ping', { a: 1 }, { idempotencyKey: 'order-42' });
      const again = await queue.add('ping', { a: 2 }, { idempotencyKey: 'order-42' });
      const { moduleRef: other } = await compileTestModule({ options: { queues: QUEUES } });
      const elsewhere = await other.get(JobQueueService).add('ping', { a: 3 }, { idempotencyKey: 'order-42' });
      await other.close();
      expect(first.idempotencyKey).toBe('order-42');
      expect(again.taskName).toBe(first.taskName);
      expect(elsewhere.taskName).toBe(first.taskName);
      const otherKey = await queue.add('ping', { a: 1 }, { idempotencyKey: 'order-43' });
      expect(otherKey.taskName).not.toBe(first.taskName);
    });

    it('an explicit idempotencyKey wins over deduplicate', async () => {
      const job = await queue.add('ping', { a: 1 }, { idempotencyKey: 'mine', deduplicate: true });
      expect(job.idempotencyKey).toBe('mine');
    });

    it('the task id is derived from the key, not the key itself (keys may hold any character)', async () => {
      const job = await queue.add('ping', {}, { idempotencyKey: 'user/42?:é' });
      expect(idOf(job)).toMatch(/^[A-Za-z0-9_-]{1,500}$/);
      expect(job.taskName).not.toContain('user/42');
    });

    it('without a key: identical jobs get fresh random keys and names', async () => {
      const a = await queue.add('ping', { same: true });
      const b = await queue.add('ping', { same: true });
      expect(a.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(b.idempotencyKey).not.toBe(a.idempotencyKey);
      expect(b.taskName).not.toBe(a.taskName);
    });

    it('names are hash-like, never sequential', async () => {
      const jobs: EnqueuedJob[] = [];
      for (let i = 0; i < 40; i++) jobs.push(await queue.add('ping', { i }));
      const ids = jobs.map(idOf);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16,}$/);
      // Sequential names share long prefixes and sort in creation order; hashed names do neither.
      const sharedPrefix = (x: string, y: string) => [...x].findIndex((ch, k) => ch !== y[k]);
      const longest = Math.max(...ids.slice(1).map((id, k) => sharedPrefix(id, ids[k])));
      expect(longest).toBeLessThan(8);
      expect([...ids].sort()).not.toEqual(ids);
      // Explicit sequential keys must not give sequential names either.
      const keyed: string[] = [];
      for (let i = 0; i < 10; i++) keyed.push(idOf(await queue.add('ping', {}, { idempotencyKey: `order-${i}` })));
      expect(Math.max(...keyed.slice(1).map((id, k) => sharedPrefix(id, keyed[k])))).toBeLessThan(8);
    });
  });

  describe('createTask failures', () => {
    beforeEach(() => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    });

    /** Runs `add` to completion, letting the (fake) backoff timers fire. */
    async function run<T>(promise: Promise<T>): Promise<T> {
      let done = false;
      promise.then(
        () => (done = true),
        () => (done = true),
      );
      for (let i = 0; i < 50 && !done; i++) {
        await settle(2);
        await jest.advanceTimersByTimeAsync(250);
      }
      return promise;
    }

    it('retries UNAVAILABLE with backoff under the same task name, then resolves once with duplicate: false', async () => {
      client.next(grpcError(GrpcCode.UNAVAILABLE, '14 UNAVAILABLE: connection reset'));
      const promise = queue.add('ping', { a: 1 });
      await settle();
      expect(client.requests).toHaveLength(1);
      expect(jest.getTimerCount()).toBe(1); // waiting, not hammering
      const job = await run(promise);
      expect(client.requests).toHaveLength(2);
      expect(client.tasks[1].name).toBe(client.tasks[0].name);
      expect(client.tasks[1]).toEqual(client.tasks[0]);
      expect(job).toMatchObject({ taskName: client.tasks[0].name, duplicate: false });
    });

    it('DEADLINE_EXCEEDED then ALREADY_EXISTS: our own first try landed, so duplicate: false', async () => {
      client.next(grpcError(GrpcCode.DEADLINE_EXCEEDED, '4 DEADLINE_EXCEEDED'), grpcError(GrpcCode.ALREADY_EXISTS, '6 ALREADY_EXISTS'));
      const job = await run(queue.add('ping', { a: 1 }, { idempotencyKey: 'k1' }));
      expect(client.requests).toHaveLength(2);
      expect(client.tasks[1].name).toBe(client.tasks[0].name);
      expect(job.duplicate).toBe(false);
    });

    it('ALREADY_EXISTS on the first call: the key was used before, so duplicate: true', async () => {
      client.next(grpcError(GrpcCode.ALREADY_EXISTS, '6 ALREADY_EXISTS'));
      const job = await run(queue.add('ping', { a: 1 }, { idempotencyKey: 'k1' }));
      expect(client.requests).toHaveLength(1);
      expect(job).toMatchObject({ duplicate: true, idempotencyKey: 'k1', taskName: client.tasks[0].name });
    });

    it('a permanent error (INVALID_ARGUMENT) rejects with EnqueueError at once, no retry', async () => {
      const cause = grpcError(GrpcCode.INVALID_ARGUMENT, '3 INVALID_ARGUMENT: bad task');
      client.next(cause);
      const error = await rejectionOf(run(queue.add('ping', { a: 1 })));
      expect(error).toBeInstanceOf(EnqueueError);
      expect(error.message).toBe(`Could not enqueue "ping" into ${PING_QUEUE_PATH}: 3 INVALID_ARGUMENT: bad task`);
      expect(error.cause).toBe(cause);
      expect((error as EnqueueError).jobName).toBe('ping');
      expect(client.requests).toHaveLength(1);
    });

    it.each([
      ['FAILED_PRECONDITION "Queue does not exist." (what Cloud Tasks answers)', grpcError(9, '9 FAILED_PRECONDITION: Queue does not exist.')],
      ['FAILED_PRECONDITION for a recently deleted queue', grpcError(9, '9 FAILED_PRECONDITION: The queue no longer exists, though a queue with this name existed recently.')],
      ['NOT_FOUND (some emulators)', grpcError(GrpcCode.NOT_FOUND, '5 NOT_FOUND: queue')],
    ])('%s points at queue provisioning; the task certainly does not exist', async (_label, cause) => {
      client.next(cause);
      const error = (await rejectionOf(run(queue.add('ping', {})))) as EnqueueError;
      expect(error).toBeInstanceOf(EnqueueError);
      expect(error.message).toMatch(/does the queue exist\? create it with the queue sync CLI, or QueueProvisioner\.sync\(\)/);
      expect(error.taskMayExist).toBe(false);
      expect(client.requests).toHaveLength(1);
      expect(client.getTaskRequests).toHaveLength(0);
    });

    it('an error names the job, its idempotency key (generated when none was given) and its task name', async () => {
      client.next(grpcError(GrpcCode.INVALID_ARGUMENT, '3 INVALID_ARGUMENT: bad task'));
      const error = (await rejectionOf(run(queue.add('ping', { a: 1 })))) as EnqueueError;
      expect(error).toMatchObject({ jobName: 'ping', idempotencyKey: client.envelope(0).idempotencyKey, taskName: client.tasks[0].name, taskMayExist: false });
    });

    it('a call that timed out after Cloud Tasks created the task: add() asks GetTask and resolves with it', async () => {
      const timeout = grpcError(GrpcCode.DEADLINE_EXCEEDED, '4 DEADLINE_EXCEEDED');
      client.next(createdThen(timeout), timeout, timeout, timeout);
      const job = await run(queue.add('ping', { a: 1 }, { idempotencyKey: 'k-ambiguous' }));
      expect(job).toMatchObject({ idempotencyKey: 'k-ambiguous', taskName: client.tasks[0].name, duplicate: false });
      expect(client.getTaskRequests.map((r) => r.name)).toEqual([client.tasks[0].name]);
    });

    it('timed out and not created: EnqueueError with taskMayExist false (GetTask answered NOT_FOUND)', async () => {
      client.fallback = () => {
        throw grpcError(GrpcCode.DEADLINE_EXCEEDED, '4 DEADLINE_EXCEEDED');
      };
      const error = (await rejectionOf(run(queue.add('ping', {})))) as EnqueueError;
      expect(error).toBeInstanceOf(EnqueueError);
      expect(error.taskMayExist).toBe(false);
      expect(client.getTaskRequests).toHaveLength(1);
    });

    it('timed out and Cloud Tasks cannot be asked: taskMayExist true, and re-adding with the key is safe', async () => {
      client.uniqueNames = true;
      client.getTaskError = grpcError(GrpcCode.UNAVAILABLE, '14 UNAVAILABLE');
      const timeout = grpcError(GrpcCode.DEADLINE_EXCEEDED, '4 DEADLINE_EXCEEDED');
      client.next(createdThen(timeout), timeout, timeout, timeout);
      const error = (await rejectionOf(run(queue.add('ping', { a: 1 })))) as EnqueueError;
      expect(error.taskMayExist).toBe(true);
      expect(error.message).toMatch(/the task may exist: re-add with the same idempotencyKey/);
      const again = await run(queue.add('ping', { a: 1 }, { idempotencyKey: error.idempotencyKey }));
      expect(again).toMatchObject({ taskName: error.taskName, duplicate: true });
      expect(client.created.size).toBe(1);
    });

    it('gives up with EnqueueError when Cloud Tasks stays unavailable (a bounded number of tries)', async () => {
      client.fallback = () => {
        throw grpcError(GrpcCode.UNAVAILABLE, '14 UNAVAILABLE');
      };
      const error = await rejectionOf(run(queue.add('ping', {})));
      expect(error).toBeInstanceOf(EnqueueError);
      expect(client.requests.length).toBeGreaterThan(1);
      expect(client.requests.length).toBeLessThanOrEqual(10);
      expect(new Set(client.tasks.map((t) => t.name)).size).toBe(1);
    });

    it('retryJobs() re-adds what Cloud Tasks failed on under the same keys: a task created after all is not created twice', async () => {
      client.uniqueNames = true;
      client.getTaskError = grpcError(GrpcCode.UNAVAILABLE, '14 UNAVAILABLE');
      const blackout = grpcError(GrpcCode.UNAVAILABLE, '14 UNAVAILABLE: blackout');
      let calls = 0;
      client.fallback = (request: CreateTaskRequest, fake: FakeCloudTasksClient) => {
        calls++;
        // A blackout for items 0–2: every call fails; the first calls of items 0 and 2 had landed before it began.
        const { data } = decodeTaskBody(request.task?.httpRequest?.body) as JobEnvelope<{ i: number }>;
        if ((data.i === 0 || data.i === 2) && !fake.created.has(request.task!.name!)) {
          fake.created.add(request.task!.name!);
          throw blackout;
        }
        if (data.i <= 2) throw blackout;
      };
      const jobs: BulkJob[] = [0, 1, 2, 3].map((i) => ({ name: 'ping', data: { i } }));
      const error = (await rejectionOf(run(queue.addBulk(jobs)))) as BulkEnqueueError;
      expect(error.failures.map((f) => [f.index, f.taskMayExist])).toEqual([
        [0, true],
        [1, true],
        [2, true],
      ]);
      expect(calls).toBeGreaterThan(3);
      client.fallback = undefined;
      const retried = await run(queue.addBulk(error.retryJobs()));
      expect(retried.map((j) => [j.idempotencyKey, j.duplicate])).toEqual([
        [error.failures[0].idempotencyKey, true],
        [error.failures[1].idempotencyKey, false],
        [error.failures[2].idempotencyKey, true],
      ]);
      expect(client.created.size).toBe(4);
    });

    it('an error without a gRPC code is not retried', async () => {
      client.next(new Error('socket hang up?'));
      await expect(run(queue.add('ping', {}))).rejects.toBeInstanceOf(EnqueueError);
      expect(client.requests).toHaveLength(1);
    });
  });

  describe('addBulk', () => {
    /** Input indexes in the order the fake finished them. */
    let finished: number[];

    /** The fake answers after `data.ticks` I/O turns, so calls finish out of order. */
    function answerAfterTicks(): void {
      finished = [];
      client.fallback = async (request: CreateTaskRequest) => {
        const { data } = decodeTaskBody(request.task?.httpRequest?.body) as JobEnvelope<{ i: number; ticks?: number; fail?: boolean }>;
        for (let i = 0; i < (data.ticks ?? 0); i++) await new Promise<void>((resolve) => setImmediate(resolve));
        finished.push(data.i);
        if (data.fail) throw grpcError(GrpcCode.INVALID_ARGUMENT, '3 INVALID_ARGUMENT: refused');
      };
    }

    const bulk = (n: number, extra: (i: number) => object = () => ({})): BulkJob[] =>
      Array.from({ length: n }, (_, i) => ({ name: 'ping', data: { i, ticks: (n - i) % 7, ...extra(i) }, options: { idempotencyKey: `item-${i}` } }));

    it('resolves with the jobs in input order, even when they finish out of order', async () => {
      answerAfterTicks();
      const jobs = await queue.addBulk(bulk(12), { concurrency: 4 });
      const inputOrder = Array.from({ length: 12 }, (_, i) => i);
      expect(finished).not.toEqual(inputOrder);
      expect(jobs.map((j) => j.idempotencyKey)).toEqual(inputOrder.map((i) => `item-${i}`));
      expect(jobs.map((j) => j.taskName)).toEqual(inputOrder.map((i) => client.tasks.find((t) => (decodeTaskBody(t.httpRequest?.body) as JobEnvelope<{ i: number }>).data.i === i)?.name));
    });

    it('keeps at most `concurrency` createTask calls in flight', async () => {
      answerAfterTicks();
      await queue.addBulk(bulk(25), { concurrency: 4 });
      expect(client.requests).toHaveLength(25);
      expect(client.maxInFlight).toBe(4);
    });

    it('defaults to a concurrency of 10', async () => {
      answerAfterTicks();
      await queue.addBulk(bulk(30));
      expect(client.maxInFlight).toBe(10);
    });

    it('resolves [] for no jobs', async () => {
      await expect(queue.addBulk([])).resolves.toEqual([]);
      expect(client.requests).toHaveLength(0);
    });

    it('a failing item rejects with BulkEnqueueError holding every result; the other items are still enqueued', async () => {
      answerAfterTicks();
      const jobs = bulk(6, (i) => (i === 1 ? { fail: true } : {}));
      jobs[4] = { name: 'nope', data: {} };
      const error = await rejectionOf(queue.addBulk(jobs, { concurrency: 3 }));
      expect(error).toBeInstanceOf(BulkEnqueueError);
      const bulkError = error as BulkEnqueueError;
      expect(bulkError.message).toBe('2 of 6 jobs could not be enqueued; see results[] (input order) for each error.');
      expect(bulkError.results.map((r) => r.ok)).toEqual([true, false, true, true, false, true]);
      expect(bulkError.failures.map((f) => [f.index, f.jobName, f.error.constructor.name])).toEqual([
        [1, 'ping', 'EnqueueError'],
        [4, 'nope', 'EnqueueValidationError'],
      ]);
      expect(bulkError.enqueued.map((j) => j.idempotencyKey)).toEqual(['item-0', 'item-2', 'item-3', 'item-5']);
      const created = new Set(client.tasks.map((t) => t.name));
      for (const job of bulkError.enqueued) expect(created.has(job.taskName)).toBe(true);
      // every valid item was attempted: 5 requests (the unknown job never reached the network)
      expect(client.requests).toHaveLength(5);
      expect(bulkError.failures.map((f) => [f.idempotencyKey, f.taskMayExist])).toEqual([
        ['item-1', false],
        [undefined, false],
      ]);
    });

  });
});

describe('JobQueueService audit', () => {
  it('logs a job Cloud Tasks refused, with who asked for it, and rethrows; the envelope carries the actor', async () => {
    const logger = new RecordingLogger();
    const { moduleRef, client } = await compileTestModule({ options: { queues: QUEUES }, logger });
    const queue = moduleRef.get(JobQueueService);
    await queue.add('ping', { a: 1 }, { actor: 'user:42' });
    expect(client.envelope(0)).toMatchObject({ jobName: 'ping', actor: 'user:42' });
    client.next(grpcError(GrpcCode.INVALID_ARGUMENT, '3 INVALID_ARGUMENT: bad task'));
    const error = await rejectionOf(queue.add('ping', { a: 2 }, { actor: 'user:42' }));
    expect(error).toBeInstanceOf(EnqueueError);
    expect(logger.entries.filter((e) => (e.message as { msg?: string }).msg === 'job not enqueued').map((e) => [e.level, e.message])).toEqual([
      ['error', { msg: 'job not enqueued', jobName: 'ping', queue: 'ping-queue', taskName: (error as EnqueueError).taskName, actor: 'user:42', taskMayExist: false, error: error.message }],
    ]);
    await moduleRef.close();
  });
});
