import { Test } from '@nestjs/testing';
import { PermanentError, RetryableError } from '@nest-cloud-tasks/core';
import { ClockService, DomainModule, FakeGoogleApi, NotificationService, UserService } from '../domain/index.js';
import { createJobContext } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';
import { RECONNECT_TEMPLATE, TokenHealthReminderProcessor } from './token-health-reminder.processor.js';
import { FakeJobQueue, followUpTestProviders } from './testing/fake-job-queue.js';

describe('TokenHealthReminderProcessor', () => {
  let queue = new FakeJobQueue();
  let processor: TokenHealthReminderProcessor;
  let notifications: NotificationService;
  let users: UserService;
  let google: FakeGoogleApi;
  let clock: ClockService;
  const job = createJobContext('token-health-reminder', { queue: QUEUE_CONFIGS['token-health-reminder'] });

  beforeEach(async () => {
    queue = new FakeJobQueue();
    const moduleRef = await Test.createTestingModule({ imports: [DomainModule], providers: [TokenHealthReminderProcessor, ...followUpTestProviders(queue)] }).compile();
    moduleRef.useLogger(false);
    processor = moduleRef.get(TokenHealthReminderProcessor);
    notifications = moduleRef.get(NotificationService);
    users = moduleRef.get(UserService);
    google = moduleRef.get(FakeGoogleApi);
    clock = moduleRef.get(ClockService);
    clock.freeze();
  });

  it('reports a healthy grant and sends nothing', async () => {
    await expect(processor.process({ userId: 'u1' }, job)).resolves.toEqual({ userId: 'u1', status: 'healthy', notified: false, degraded: false, followUp: [] });
    expect(google.calls('u1').map((c) => c.method)).toEqual(['oauth2.tokeninfo']);
  });

  it('asks for a token refresh when the access token expired', async () => {
    await expect(processor.process({ userId: 'u2' }, job)).resolves.toMatchObject({ status: 'needs-refresh', followUp: [{ name: 'token-refresh', data: { userId: 'u2' } }] });
  });

  it('emails a revoked user to reconnect, at most once a day', async () => {
    await expect(processor.process({ userId: 'u3' }, job)).resolves.toMatchObject({ status: 'revoked', notified: true });
    await expect(processor.process({ userId: 'u3' }, job)).resolves.toMatchObject({ status: 'revoked', notified: false });
    clock.advance(25 * 3_600_000);
    await expect(processor.process({ userId: 'u3' }, job)).resolves.toMatchObject({ notified: true });
    expect(notifications.sentTo('u3').map((n) => n.template)).toEqual([RECONNECT_TEMPLATE, RECONNECT_TEMPLATE]);
    expect(google.calls('u3')).toHaveLength(0);
  });

  it('finds a revocation through Google, records it and emails the user', async () => {
    google.failNext('u1', 1, 'revoked');
    await expect(processor.process({ userId: 'u1' }, job)).resolves.toMatchObject({ status: 'revoked', notified: true });
    expect(users.get('u1').tokens.revokedAt).toBeDefined();
  });

  it('retries a Google outage, and judges from local state on the final attempt', async () => {
    google.failNext('u1', 2, 'rate-limit');
    await expect(processor.process({ userId: 'u1' }, job)).rejects.toMatchObject({ constructor: RetryableError, cause: { statusCode: 429 } });
    await expect(processor.process({ userId: 'u1' }, createJobContext('token-health-reminder', { queue: QUEUE_CONFIGS['token-health-reminder'], retryCount: QUEUE_CONFIGS['token-health-reminder'].retryConfig.maxAttempts - 1 }))).resolves.toMatchObject({ status: 'healthy', degraded: true });
  });

  it('fails permanently for an unknown user', async () => {
    await expect(processor.process({ userId: 'nobody' }, job)).rejects.toThrow(PermanentError);
  });
});
