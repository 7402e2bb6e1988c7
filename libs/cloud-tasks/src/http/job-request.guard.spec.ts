import 'reflect-metadata';
import { jest } from '@jest/globals';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { EventEmitter } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import { JobHandlerRegistry } from '../handlers/job-handler.registry.js';
import { JobDelivery } from '../delivery/job-delivery.js';
import { JobRunner } from '../delivery/job.runner.js';
import { JobEnvelopeParser } from '../envelope/job-envelope.parser.js';
import type { JobContext, JobProcessor } from '../interfaces/job.interface.js';
import { createTestApp, deferred, envelope, queueConfig, scriptedHandler, type ScriptedProcessor, type TestApp } from '../testing/index.js';
import { routeOf } from './job-route.js';
import { HTTP_ADAPTERS } from '../testing/http-adapters.js';

class Address {
  @IsString() city!: string;
  @IsOptional() @IsString() zip?: string;
}

class SignupPayload {
  @IsString() userId!: string;
  @IsInt() @Min(1) seats!: number;
  @ValidateNested() @Type(() => Address) address!: Address;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => Address) offices?: Address[];
}

const Signup = scriptedHandler('signup', { payload: SignupPayload });
const Work = scriptedHandler('work');
const Capped = scriptedHandler('capped', { maxAttempts: 2 });
const Forever = scriptedHandler('forever');
const QUEUES = {
  signup: queueConfig('signup-queue'),
  work: queueConfig('work-queue', { maxAttempts: 3 }, { dispatchDeadline: 60 }),
  capped: queueConfig('capped-queue', { maxAttempts: 5 }),
  forever: queueConfig('forever-queue', { maxAttempts: -1 }),
};
const VALID = { userId: 'u1', seats: 2, address: { city: 'Lyon' } };

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('job endpoint request checks (JobRequestGuard)', () => {
    let t: TestApp;
    let signup: ScriptedProcessor;
    let work: ScriptedProcessor;

    beforeEach(async () => {
      t = await createTestApp({ adapter, options: { queues: QUEUES }, providers: [Signup, Work, Capped, Forever] });
      signup = t.app.get(Signup);
      work = t.app.get(Work);
    });

    afterEach(() => t.close());

    /** Asserts the answer of a permanently bad delivery: 202 dead, never run, dead letter recorded. Returns the error. */
    async function expectDead(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, processor: ScriptedProcessor): Promise<string> {
      expect(res.status).toBe(202);
      expect(res.headers['x-job-outcome']).toBe('dead');
      expect(res.body).toMatchObject({ success: false, dead: true });
      expect(processor.calls).toHaveLength(0);
      const letters = (await t.app.get(DeadLetterService).list()).items;
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({ reason: 'permanent', error: res.body.error });
      return res.body.error as string;
    }

    describe('payload validation (class-validator, whitelist, forbid unknown, nested)', () => {
      it('passes a valid payload to the processor as an instance of the payload class, nested classes included', async () => {
        const res = await t.deliver('signup', envelope('signup', { ...VALID, offices: [{ city: 'Paris', zip: '75001' }] }));
        expect(res.status).toBe(200);
        const data = signup.calls[0].data as SignupPayload;
        expect(data).toBeInstanceOf(SignupPayload);
        expect(data.address).toBeInstanceOf(Address);
        expect(data.offices?.[0]).toBeInstanceOf(Address);
        expect(data).toEqual({ ...VALID, offices: [{ city: 'Paris', zip: '75001' }] });
      });

      it('a field of the wrong type → 202 dead naming the field', async () => {
        const error = await expectDead(await t.deliver('signup', envelope('signup', { ...VALID, seats: 'two' })), signup);
        expect(error).toMatch(/^Invalid payload: /);
        expect(error).toContain('data.seats');
        expect(error).not.toContain('data.userId');
      });

      it('a missing field → 202 dead naming the field', async () => {
        const { userId: _omitted, ...rest } = VALID;
        expect(await expectDead(await t.deliver('signup', envelope('signup', rest)), signup)).toContain('data.userId');
      });

      it('an unknown field → 202 dead naming the field', async () => {
        const error = await expectDead(await t.deliver('signup', envelope('signup', { ...VALID, isAdmin: true })), signup);
        expect(error).toContain('data.isAdmin is not allowed (unknown field)');
      });

      it('a bad nested field → 202 dead naming its path', async () => {
        expect(await expectDead(await t.deliver('signup', envelope('signup', { ...VALID, address: { city: 42 } })), signup)).toContain('data.address.city');
      });

      it('an unknown nested field → 202 dead naming its path', async () => {
        const error = await expectDead(await t.deliver('signup', envelope('signup', { ...VALID, address: { city: 'Lyon', street: 'x' } })), signup);
        expect(error).toContain('data.address.street is not allowed (unknown field)');
      });

      it('a bad item in a nested array → 202 dead naming its index', async () => {
        const error = await expectDead(await t.deliver('signup', envelope('signup', { ...VALID, offices: [{ city: 'Paris' }, { city: false }] })), signup);
        expect(error).toContain('data.offices.1.city');
      });

      it('a nested object given as a scalar → 202 dead naming it', async () => {
        expect(await expectDead(await t.deliver('signup', envelope('signup', { ...VALID, address: 'Lyon' })), signup)).toContain('data.address');
      });

      it.each([null, 'text', [VALID]])('data %j instead of an object → 202 dead', async (data) => {
        const error = await expectDead(await t.deliver('signup', envelope('signup', data)), signup);
        expect(error).toBe('Payload (data) must be an object for SignupPayload');
      });

      it('without a payload class, data is passed as it came', async () => {
        const res = await t.deliver('work', envelope('work', [1, { a: 'b' }]));
        expect(res.status).toBe(200);
        expect(work.calls[0].data).toEqual([1, { a: 'b' }]);
      });
    });

    describe('envelope problems → 202 dead, never a 5xx, never the processor', () => {
      const good = () => envelope('work', { a: 1 });
      const raw = (value: Record<string, unknown>) => JSON.stringify(value);

      it.each<[string, () => string, RegExp]>([
        ['malformed JSON', () => '{"jobName":"work","data":', /^Body is not valid JSON/],
        ['empty body', () => '', /^Body is not valid JSON/],
        ['a string body', () => '"work"', /^Body must be a JSON object: \{ jobName, data, idempotencyKey, enqueuedAt \}$/],
        ['a number body', () => '42', /^Body must be a JSON object/],
        ['a null body', () => 'null', /^Body must be a JSON object/],
        ['an array body', () => raw(good()).replace(/^/, '[').replace(/$/, ']'), /^Body must be a JSON object/],
        ['a jobName that is not the URL\'s', () => raw({ ...good(), jobName: 'signup' }), /^Envelope jobName "signup" does not match the URL's job "work"$/],
        ['a missing jobName', () => raw({ ...good(), jobName: undefined }), /^Envelope field jobName must be a string$/],
        ['a missing idempotencyKey', () => raw({ ...good(), idempotencyKey: undefined }), /^Envelope field idempotencyKey must be a non-empty string/],
        ['an empty idempotencyKey', () => raw({ ...good(), idempotencyKey: '' }), /^Envelope field idempotencyKey must be a non-empty string/],
        ['a bad enqueuedAt', () => raw({ ...good(), enqueuedAt: 'yesterday' }), /^Envelope field enqueuedAt must be an ISO-8601 date string$/],
        ['a missing data', () => raw({ ...good(), data: undefined }), /^Envelope field data is missing$/],
        ['an unknown envelope field', () => raw({ ...good(), priority: 'high' }), /^Envelope has unknown field\(s\): "priority"$/],
        ['a __proto__ key in data', () => raw(good()).replace('"data":{', '"data":{"__proto__":{"polluted":true},'), /^Body contains the forbidden key "__proto__"$/],
        ['a __proto__ key at the top', () => raw(good()).replace(/^\{/, '{"__proto__":{"polluted":true},'), /^Body contains the forbidden key "__proto__"$/],
        ['a bad maxAttempts', () => raw({ ...good(), maxAttempts: 0 }), /^Envelope field maxAttempts must be a whole number/],
        ['a bad dispatchDeadline', () => raw({ ...good(), dispatchDeadline: 5 }), /^Envelope field dispatchDeadline must be a whole number of seconds from 15 to 1800$/],
        ['absurd nesting', () => raw({ ...good(), data: JSON.parse('['.repeat(100) + ']'.repeat(100)) as unknown }), /^Body nests deeper than 64 levels$/],
      ])('%s', async (_label, body, message) => {
        const res = await t.deliver('work', body());
        expect(res.status).toBeLessThan(500);
        const error = await expectDead(res, work);
        expect(error).toMatch(message);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });

      // BUG (http/envelope.parser.ts:22): the error is V8's JSON.parse message, which quotes the body (`Unexpected token
    // 'h', "{"password":hunter2}" is not valid JSON`), so a malformed body echoes a secret into the 202 response and the
      // dead letter's error (error details never include values of sensitive-looking keys). Fix: report only
      // the position, e.g. strip the quoted excerpt (`/, ".*" is not valid JSON$/s`) or answer "Body is not valid JSON".
      it('malformed JSON: the error does not quote the body (it may hold secrets)', async () => {
        const body = '{"jobName":"work","data":{"password":hunter2-secret},"idempotencyKey":"k","enqueuedAt":"2026-01-01T00:00:00Z"}';
        const res = await t.deliver('work', body);
        const error = await expectDead(res, work);
        expect(error).toMatch(/^Body is not valid JSON/);
        expect(res.text).not.toContain('hunter2');
        const [letter] = (await t.app.get(DeadLetterService).list()).items;
        expect(JSON.stringify(letter)).not.toContain('hunter2');
      });

      it('a body that is not declared as JSON → 202 dead', async () => {
        const res = await t.deliver('work', raw(good()), { 'Content-Type': 'text/plain' });
        expect(await expectDead(res, work)).toMatch(/^Content-Type must be application\/json/);
      });

      it('a dead letter is recorded even when the envelope had no key (named after the task)', async () => {
        await t.deliver('work', '{oops', { 'X-CloudTasks-TaskName': 'task-77' });
        const [letter] = (await t.app.get(DeadLetterService).list()).items;
        expect(letter).toMatchObject({ jobName: 'work', taskName: 'task-77', idempotencyKey: 'task:task-77', data: null });
      });
    });

    describe('JobContext from the Cloud Tasks headers', () => {
      it('parses every header', async () => {
        const body = envelope('work', {}, { enqueuedAt: '2026-01-01T00:00:00.000Z' });
        const res = await t.deliver('work', body, {
          'X-CloudTasks-TaskName': 'a1b2c3',
          'X-CloudTasks-TaskRetryCount': '1',
          'X-CloudTasks-TaskExecutionCount': '1',
          'X-CloudTasks-TaskETA': '1767225600.25',
          'X-CloudTasks-TaskPreviousResponse': '503',
          'X-CloudTasks-TaskRetryReason': 'HTTP 503 Service Unavailable',
        });
        expect(res.status).toBe(200);
        const { job } = work.calls[0];
        expect(job).toEqual<JobContext>({
          jobName: 'work',
          queueName: 'work-queue',
          taskName: 'a1b2c3',
          idempotencyKey: body.idempotencyKey as string,
          retryCount: 1,
          executionCount: 1,
          attempt: 2,
          maxAttempts: 3,
          isFinalAttempt: false,
          eta: new Date(1_767_225_600_250),
          previousResponse: 503,
          retryReason: 'HTTP 503 Service Unavailable',
          enqueuedAt: new Date('2026-01-01T00:00:00.000Z'),
          signal: expect.any(AbortSignal) as unknown as AbortSignal,
        });
      });

      it('keeps sub-millisecond ETA fractions to the millisecond', async () => {
        await t.deliver('work', envelope('work', {}), { 'X-CloudTasks-TaskETA': '1767225600.123456' });
        expect(work.calls[0].job.eta.getTime()).toBe(1_767_225_600_123);
      });

      it('the first attempt: retryCount 0, attempt 1, no previous response or retry reason', async () => {
        await t.deliver('work', envelope('work', {}), { 'X-CloudTasks-TaskRetryCount': '0', 'X-CloudTasks-TaskExecutionCount': '0' });
        expect(work.calls[0].job).toMatchObject({ retryCount: 0, executionCount: 0, attempt: 1, isFinalAttempt: false });
        expect(work.calls[0].job.previousResponse).toBeUndefined();
        expect(work.calls[0].job.retryReason).toBeUndefined();
      });

      it('missing or garbled counters read as 0', async () => {
        await t.deliver('work', envelope('work', {}), { 'X-CloudTasks-TaskRetryCount': 'many', 'X-CloudTasks-TaskExecutionCount': '-3' });
        expect(work.calls[0].job).toMatchObject({ retryCount: 0, executionCount: 0, attempt: 1 });
      });

      it("isFinalAttempt when retryCount + 1 reaches the queue's maxAttempts", async () => {
        await t.deliver('work', envelope('work', {}), { 'X-CloudTasks-TaskRetryCount': '2' });
        expect(work.calls[0].job).toMatchObject({ attempt: 3, maxAttempts: 3, isFinalAttempt: true });
      });

      it("the handler's per-job cap overrides the queue's maxAttempts", async () => {
        const capped = t.app.get(Capped);
        await t.deliver('capped', envelope('capped', {}), { 'X-CloudTasks-TaskRetryCount': '0' });
        await t.deliver('capped', envelope('capped', {}), { 'X-CloudTasks-TaskRetryCount': '1' });
        expect(capped.calls.map((c) => [c.job.maxAttempts, c.job.isFinalAttempt])).toEqual([
          [2, false],
          [2, true],
        ]);
      });

      it("the enqueuer's per-job cap (envelope maxAttempts) is used", async () => {
        await t.deliver('work', envelope('work', {}, { maxAttempts: 2 }), { 'X-CloudTasks-TaskRetryCount': '1' });
        expect(work.calls[0].job).toMatchObject({ maxAttempts: 2, isFinalAttempt: true });
      });

      it('unlimited (-1) is never final', async () => {
        const forever = t.app.get(Forever);
        await t.deliver('forever', envelope('forever', {}), { 'X-CloudTasks-TaskRetryCount': '999999' });
        expect(forever.calls[0].job).toMatchObject({ maxAttempts: -1, isFinalAttempt: false, attempt: 1_000_000 });
      });

      it('signal is an AbortSignal, not aborted while the job runs normally', async () => {
        let abortedDuringRun: boolean | undefined;
        work.behaviour = (_data, job) => {
          abortedDuringRun = job.signal.aborted;
          return 'ok';
        };
        await t.deliver('work', envelope('work', {}));
        expect(work.calls[0].job.signal).toBeInstanceOf(AbortSignal);
        expect(abortedDuringRun).toBe(false);
      });

      it('signal aborts when Cloud Tasks hangs up', async () => {
        const port = Number(new URL(t.url).port);
        const aborted = deferred<unknown>();
        const release = deferred();
        work.behaviour = async (_data, job) => {
          job.signal.addEventListener('abort', () => aborted.resolve(job.signal.reason));
          await release.promise;
          return 'late';
        };
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/jobs/work', headers: { 'Content-Type': 'application/json', 'X-CloudTasks-QueueName': 'work-queue' } });
        req.on('error', () => undefined);
        req.end(JSON.stringify(envelope('work', {})));
        for (let i = 0; i < 2000 && work.calls.length === 0; i++) await new Promise<void>((resolve) => setImmediate(resolve));
        expect(work.calls).toHaveLength(1);
        expect(work.calls[0].job.signal.aborted).toBe(false);
        req.destroy();
        const reason = await aborted.promise;
        expect(work.calls[0].job.signal.aborted).toBe(true);
        expect(String((reason as Error).message)).toMatch(/closed the connection/);
        release.resolve();
      });
    });

    describe('dispatch deadline (delivery and runner called directly, fake clock)', () => {
      afterEach(() => jest.useRealTimers());

      /** A delivery routed and parsed by the endpoint's own pieces, as the guard would leave it. */
      async function parsedDelivery(body: Record<string, unknown>, jobName: keyof typeof QUEUES = 'work', processor?: JobProcessor) {
        const request = Object.assign(new EventEmitter(), { headers: {} }) as unknown as IncomingMessage;
        const delivery = new JobDelivery(request, new EventEmitter() as unknown as ServerResponse, {});
        const route = routeOf(t.app.get(JobHandlerRegistry), jobName, { 'x-cloudtasks-queuename': QUEUES[jobName].name });
        delivery.set('route', processor ? { ...route, handler: { ...route.handler, processorFor: () => processor } } : route);
        const parsed = await t.app.get(JobEnvelopeParser).parse(Buffer.from(JSON.stringify(body)), 'application/json', route);
        expect(parsed.valid).toBe(true);
        delivery.set('parsed', parsed);
        return { delivery, parsed };
      }

      it("aborts job.signal when the envelope's dispatch deadline passes while the processor runs", async () => {
        jest.useFakeTimers();
        let release!: () => void;
        const running = new Promise<void>((resolve) => (release = resolve));
        let signal!: AbortSignal;
        const processor: JobProcessor = {
          process: (_data, job) => {
            signal = job.signal;
            return new Promise((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
          },
        };
        const { delivery, parsed } = await parsedDelivery(envelope('work', {}, { dispatchDeadline: 15 }), 'work', processor);
        expect(parsed.deadlineSeconds).toBe(15);
        const outcome = t.app.get(JobRunner).run(delivery, {}).finally(release);
        for (let i = 0; i < 10 && !signal; i++) await Promise.resolve();
        jest.advanceTimersByTime(14_999);
        expect(signal.aborted).toBe(false);
        jest.advanceTimersByTime(1);
        expect(signal.aborted).toBe(true);
        expect((signal.reason as Error).message).toBe('Dispatch deadline of 15s passed');
        await running;
        expect((await outcome).kind).toBe('success');
      });

      it('a delivery whose processor never reads job.signal keeps no timer, listener or controller', async () => {
        jest.useFakeTimers();
        const { delivery } = await parsedDelivery(envelope('work', {}, { dispatchDeadline: 15 }), 'work', { process: () => 'done' });
        expect((await t.app.get(JobRunner).run(delivery, {})).kind).toBe('success');
        expect(jest.getTimerCount()).toBe(0);
        expect(delivery.response?.listenerCount('close')).toBe(0);
      });

      it("falls back to the queue's dispatch deadline", async () => {
        expect((await parsedDelivery(envelope('work', {}))).parsed.deadlineSeconds).toBe(60);
      });

      it("falls back to Cloud Tasks' default of 600 s", async () => {
        expect((await parsedDelivery(envelope('forever', {}), 'forever')).parsed.deadlineSeconds).toBe(600);
      });
    });
  });
});
