import 'reflect-metadata';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import { JobEventBus } from '../events/job-event-bus.js';
import type { JobEvent } from '../events/job-event.interface.js';
import { PermanentError } from '../errors/permanent.error.js';
import { RetryableError } from '../errors/retryable.error.js';
import { createTestApp, envelope, queueConfig, RecordingLogger, scriptedHandler, type ScriptedProcessor, type TestApp } from '../testing/index.js';
import { HTTP_ADAPTERS } from '../testing/http-adapters.js';

const Login = scriptedHandler('login');
const QUEUES = { login: queueConfig('login-queue', { maxAttempts: 3 }) };
const PASSWORD = 'hunter2-correct-horse';
const TOKEN = 'ya29.a0AfH6SMBx-secret-token';
const SSN = '123-45-6789';
const PAYLOAD = { userId: 'u1', password: PASSWORD, session: { accessToken: TOKEN, note: 'kept' }, ssn: SSN };

/** Sensitive payload values must never leave through responses, dead letters, events or logs. */
describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('JobRunner: sensitive payload values', () => {
    let t: TestApp;
    let login: ScriptedProcessor;
    let logger: RecordingLogger;
    let events: JobEvent[];

    beforeEach(async () => {
      logger = new RecordingLogger();
      t = await createTestApp({ adapter, options: { queues: QUEUES, redactKeys: ['ssn'] }, providers: [Login], logger });
      login = t.app.get(Login);
      events = [];
      t.app.get(JobEventBus).subscribe((event) => events.push(event));
    });

    afterEach(() => t.close());

    const leaks = (text: string) => [PASSWORD, TOKEN, SSN].filter((secret) => text.includes(secret));

    it('a PermanentError quoting a password and a token: masked in the response and the dead letter', async () => {
      login.behaviour = () => {
        throw new PermanentError(`login refused for ${PASSWORD} with token ${TOKEN} (ssn ${SSN})`);
      };
      const res = await t.deliver('login', envelope('login', PAYLOAD));
      expect(res.status).toBe(202);
      expect(leaks(res.text)).toEqual([]);
      expect(res.body.error).toBe('PermanentError: login refused for [REDACTED] with token [REDACTED] (ssn [REDACTED])');

      const [letter] = (await t.app.get(DeadLetterService).list()).items;
      expect(letter.data).toEqual({ userId: 'u1', password: '[REDACTED]', session: { accessToken: '[REDACTED]', note: 'kept' }, ssn: '[REDACTED]' });
      expect(letter.error).toBe(res.body.error);
      expect(leaks(JSON.stringify(letter))).toEqual([]);
      expect('payload' in letter).toBe(false);
      // NOTE: the original payload is kept apart (only on request) so that DeadLetterService.retry() re-enqueues the job as it was.
      expect((await t.app.get(DeadLetterService).get(letter.id, { includePayload: true }))?.payload).toEqual(PAYLOAD);

      expect(leaks(JSON.stringify(events))).toEqual([]);
      expect(leaks(JSON.stringify(logger.entries))).toEqual([]);
    });

    it('a retryable error quoting a secret: masked in the 500 body', async () => {
      login.behaviour = () => {
        throw new RetryableError(`upstream rejected ${TOKEN}`);
      };
      const res = await t.deliver('login', envelope('login', PAYLOAD));
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'RetryableError: upstream rejected [REDACTED]', retryable: true });
      expect(leaks(JSON.stringify(events))).toEqual([]);
    });

    it('a final-attempt failure quoting a secret: masked in the body and the dead letter', async () => {
      login.behaviour = () => {
        throw new Error(`bad password ${PASSWORD}`);
      };
      const res = await t.deliver('login', envelope('login', PAYLOAD), { 'X-CloudTasks-TaskRetryCount': '2' });
      expect(res.status).toBe(500);
      expect(leaks(res.text)).toEqual([]);
      const [letter] = (await t.app.get(DeadLetterService).list()).items;
      expect(letter).toMatchObject({ reason: 'exhausted', error: 'bad password [REDACTED]', data: { password: '[REDACTED]' } });
    });

    it('a duplicate of a dead job does not reveal the secret either', async () => {
      login.behaviour = () => {
        throw new PermanentError(`no user for ${PASSWORD}`);
      };
      const body = envelope('login', PAYLOAD);
      await t.deliver('login', body);
      const again = await t.deliver('login', body);
      expect(again.status).toBe(202);
      expect(leaks(again.text)).toEqual([]);
    });

    it('values under ordinary keys are left alone', async () => {
      login.behaviour = () => {
        throw new PermanentError('user u1 is gone');
      };
      const res = await t.deliver('login', envelope('login', PAYLOAD));
      expect(res.body.error).toBe('PermanentError: user u1 is gone');
    });
  });
});
