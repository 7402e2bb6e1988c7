import 'reflect-metadata';
import { JOB_OUTCOME_HEADER } from '../cloud-tasks.constants.js';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import type { DeadLetterStore } from '../dead-letter/dead-letter-store.interface.js';
import { MemoryDeadLetterStore } from '../dead-letter/memory-dead-letter.store.js';
import { PermanentError } from '../errors/permanent.error.js';
import { RetryableError } from '../errors/retryable.error.js';
import { createTestApp, envelope, queueConfig, scriptedHandler, type ScriptedProcessor, type TestApp } from '../testing/index.js';
import { HTTP_ADAPTERS } from '../testing/http-adapters.js';

const Work = scriptedHandler('work');
const Capped = scriptedHandler('capped', { maxAttempts: 2 });
const Forever = scriptedHandler('forever');
const QUEUES = {
  work: queueConfig('work-queue', { maxAttempts: 3 }),
  capped: queueConfig('capped-queue', { maxAttempts: 5 }),
  forever: queueConfig('forever-queue', { maxAttempts: -1 }),
};

/** Every outcome of a delivery and the status Cloud Tasks acts on (the README's HTTP contract). */
describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('job endpoint: outcome → status', () => {
    let t: TestApp;
    let work: ScriptedProcessor;
    let capped: ScriptedProcessor;
    let forever: ScriptedProcessor;
    let deadLetters: DeadLetterService;

    beforeEach(async () => {
      t = await createTestApp({ adapter, options: { queues: QUEUES }, providers: [Work, Capped, Forever] });
      work = t.app.get(Work);
      capped = t.app.get(Capped);
      forever = t.app.get(Forever);
      deadLetters = t.app.get(DeadLetterService);
    });

    afterEach(() => t.close());

    const deadLetterItems = async () => (await deadLetters.list()).items;

    it('success → 200 { success: true, result }', async () => {
      work.behaviour = (data) => ({ echoed: data });
      const body = envelope('work', { userId: 'u1' });
      const res = await t.deliver('work', body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, result: { echoed: { userId: 'u1' } } });
      expect(res.headers[JOB_OUTCOME_HEADER.toLowerCase()]).toBeUndefined();
      expect(work.calls).toHaveLength(1);
      expect(work.calls[0].data).toEqual({ userId: 'u1' });
      expect(await deadLetterItems()).toEqual([]);
    });

    it('success without a result → 200 { success: true, result: null }', async () => {
      work.behaviour = () => undefined;
      const res = await t.deliver('work', envelope('work', {}));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, result: null });
    });

    it('RetryableError → 500 { error, retryable: true }, no dead letter', async () => {
      work.behaviour = () => {
        throw new RetryableError('upstream answered 503');
      };
      const res = await t.deliver('work', envelope('work', {}));
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'RetryableError: upstream answered 503', retryable: true });
      expect(await deadLetterItems()).toEqual([]);
    });

    it.each<[string, () => unknown]>([
      ['an Error', () => new Error('something odd')],
      ['a TypeError', () => new TypeError("Cannot read properties of undefined (reading 'id')")],
      ['a thrown string', () => 'plain string'],
    ])('an unknown failure (%s) → 500 retryable, not dead', async (_label, make) => {
      work.behaviour = () => {
        throw make();
      };
      const res = await t.deliver('work', envelope('work', {}));
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ retryable: true });
      expect(typeof res.body.error).toBe('string');
      expect(res.body.dead).toBeUndefined();
      expect(await deadLetterItems()).toEqual([]);
    });

    it('a retryable failure on the final attempt → 500 retryable, and a dead letter is recorded first', async () => {
      work.behaviour = () => {
        throw new RetryableError('still down');
      };
      const body = envelope('work', { userId: 'u9' });
      const res = await t.deliver('work', body, { 'X-CloudTasks-TaskRetryCount': '2', 'X-CloudTasks-TaskName': 'task-final' });
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ error: 'RetryableError: still down', retryable: true });
      expect(work.calls).toHaveLength(1);
      expect(work.calls[0].job.isFinalAttempt).toBe(true);
      const [letter, ...more] = await deadLetterItems();
      expect(more).toEqual([]);
      expect(letter).toMatchObject({
        jobName: 'work',
        queue: 'work-queue',
        taskName: 'task-final',
        idempotencyKey: body.idempotencyKey,
        data: { userId: 'u9' },
        error: 'RetryableError: still down',
        reason: 'exhausted',
        attempts: 3,
      });
      expect(Date.parse(letter.failedAt)).not.toBeNaN();
    });

    it('an unknown error on the final attempt is dead-lettered too', async () => {
      work.behaviour = () => {
        throw new Error('bug');
      };
      const res = await t.deliver('work', envelope('work', {}), { 'X-CloudTasks-TaskRetryCount': '2' });
      expect(res.status).toBe(500);
      expect(res.body.retryable).toBe(true);
      expect((await deadLetterItems()).map((l) => l.reason)).toEqual(['exhausted']);
    });

    it('PermanentError → 202 with X-Job-Outcome: dead, { success: false, dead: true, error }, and a dead letter', async () => {
      work.behaviour = () => {
        throw new PermanentError('user was deleted');
      };
      const body = envelope('work', { userId: 'gone' });
      const res = await t.deliver('work', body, { 'X-CloudTasks-TaskName': 'task-perm' });
      expect(res.status).toBe(202);
      expect(res.headers['x-job-outcome']).toBe('dead');
      expect(res.body).toEqual({ success: false, dead: true, error: 'PermanentError: user was deleted' });
      const letters = await deadLetterItems();
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ jobName: 'work', taskName: 'task-perm', idempotencyKey: body.idempotencyKey, reason: 'permanent', attempts: 1, error: 'PermanentError: user was deleted' });
    });

    it('PermanentError is permanent on any attempt (no retries wasted)', async () => {
      work.behaviour = () => {
        throw new PermanentError('bad data');
      };
      const res = await t.deliver('work', envelope('work', {}), { 'X-CloudTasks-TaskRetryCount': '0' });
      expect(res.status).toBe(202);
      expect(work.calls[0].job.isFinalAttempt).toBe(false);
    });

    it("the handler's per-job maxAttempts exceeded → 202 dead without running", async () => {
      const res = await t.deliver('capped', envelope('capped', {}), { 'X-CloudTasks-TaskRetryCount': '2' });
      expect(res.status).toBe(202);
      expect(res.headers['x-job-outcome']).toBe('dead');
      expect(res.body).toEqual({ success: false, dead: true, error: expect.stringContaining('maxAttempts 2') as unknown as string });
      expect(capped.calls).toHaveLength(0);
      expect(await deadLetterItems()).toMatchObject([{ jobName: 'capped', reason: 'permanent', attempts: 3 }]);
    });

    it("the enqueuer's per-job maxAttempts (in the envelope) exceeded → 202 dead without running", async () => {
      const res = await t.deliver('work', envelope('work', {}, { maxAttempts: 1 }), { 'X-CloudTasks-TaskRetryCount': '1' });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ success: false, dead: true, error: 'Attempt 2 exceeds the job\'s maxAttempts 1' });
      expect(work.calls).toHaveLength(0);
    });

    it('the per-job cap makes its last attempt final: a retryable failure there is dead-lettered', async () => {
      capped.behaviour = () => {
        throw new RetryableError('flaky');
      };
      const res = await t.deliver('capped', envelope('capped', {}), { 'X-CloudTasks-TaskRetryCount': '1' });
      expect(res.status).toBe(500);
      expect(capped.calls[0].job).toMatchObject({ attempt: 2, maxAttempts: 2, isFinalAttempt: true });
      expect((await deadLetterItems()).map((l) => [l.jobName, l.reason])).toEqual([['capped', 'exhausted']]);
    });

    it('an unlimited queue (-1) never has a final attempt: retryable failures never dead-letter', async () => {
      forever.behaviour = () => {
        throw new RetryableError('again');
      };
      const res = await t.deliver('forever', envelope('forever', {}), { 'X-CloudTasks-TaskRetryCount': '5000' });
      expect(res.status).toBe(500);
      expect(forever.calls[0].job).toMatchObject({ attempt: 5001, maxAttempts: -1, isFinalAttempt: false });
      expect(await deadLetterItems()).toEqual([]);
    });

    it('unknown job → 404 (Cloud Tasks retries until a handler is deployed)', async () => {
      const res = await t.deliver('nope', envelope('nope', {}), { 'X-CloudTasks-QueueName': 'work-queue' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: expect.stringContaining('No handler for job "nope"') as unknown as string, retryable: true });
      expect(work.calls).toHaveLength(0);
    });

    it('missing X-CloudTasks-QueueName → 400, processor not run', async () => {
      const res = await t.deliver('work', envelope('work', {}), { 'X-CloudTasks-QueueName': null });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: expect.stringMatching(/^Missing x-cloudtasks-queuename header/) as unknown as string, retryable: true });
      expect(work.calls).toHaveLength(0);
    });

    it("X-CloudTasks-QueueName of another job's queue → 400, processor not run", async () => {
      const res = await t.deliver('work', envelope('work', {}), { 'X-CloudTasks-QueueName': 'capped-queue' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('Queue "capped-queue" is not the queue of job "work" (expected "work-queue").');
      expect(work.calls).toHaveLength(0);
      expect(await deadLetterItems()).toEqual([]);
    });

    it('a dead letter that cannot be recorded → 500 retryable, so nothing is dropped', async () => {
      const failing: DeadLetterStore = Object.assign(new MemoryDeadLetterStore(), {
        save: async () => {
          throw new Error('dead-letter store down');
        },
      });
      const other = await createTestApp({ adapter, options: { queues: QUEUES, deadLetters: { store: failing } }, providers: [Work, Capped, Forever] });
      try {
        other.app.get(Work).behaviour = () => {
          throw new PermanentError('nope');
        };
        const res = await other.deliver('work', envelope('work', {}));
        expect(res.status).toBe(500);
        expect(res.body).toMatchObject({ retryable: true });
        expect(res.headers['x-job-outcome']).toBeUndefined();
      } finally {
        await other.close();
      }
    });
  });
});
