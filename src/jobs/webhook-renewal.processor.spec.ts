import { Test } from '@nestjs/testing';
import { PermanentError, RetryableError } from '@nest-cloud-tasks/core';
import { ClockService, DomainModule, FakeGoogleApi, WebhookChannelService } from '../domain/index.js';
import { createJobContext } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';
import { WebhookRenewalProcessor } from './webhook-renewal.processor.js';

describe('WebhookRenewalProcessor', () => {
  let processor: WebhookRenewalProcessor;
  let channels: WebhookChannelService;
  let google: FakeGoogleApi;
  let clock: ClockService;
  const job = createJobContext('webhook-renewal', { queue: QUEUE_CONFIGS['webhook-renewal'] });

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DomainModule], providers: [WebhookRenewalProcessor] }).compile();
    moduleRef.useLogger(false);
    processor = moduleRef.get(WebhookRenewalProcessor);
    channels = moduleRef.get(WebhookChannelService);
    google = moduleRef.get(FakeGoogleApi);
    clock = moduleRef.get(ClockService);
    clock.freeze();
  });

  it('re-watches the calendar and moves the channel’s expiry 7 days ahead', async () => {
    const previous = channels.get('u2', 'ch-u2-primary').expiresAt;
    const expiresAt = new Date(clock.now().getTime() + 7 * 86_400_000);
    await expect(processor.process({ userId: 'u2', channelId: 'ch-u2-primary' }, job)).resolves.toEqual({
      userId: 'u2',
      channelId: 'ch-u2-primary',
      previousExpiresAt: previous.toISOString(),
      expiresAt: expiresAt.toISOString(),
      renewals: 1,
    });
    expect(channels.get('u2', 'ch-u2-primary')).toMatchObject({ expiresAt, renewals: 1 });
    expect(google.calls('u2').map((c) => c.method)).toEqual(['calendar.events.watch']);
  });

  it('retries a Google outage and leaves the channel untouched', async () => {
    const before = { ...channels.get('u2', 'ch-u2-primary') };
    google.failNext('u2', 1, 'transient');
    await expect(processor.process({ userId: 'u2', channelId: 'ch-u2-primary' }, job)).rejects.toMatchObject({ constructor: RetryableError, cause: { statusCode: 503 } });
    expect(channels.get('u2', 'ch-u2-primary')).toEqual(before);
  });

  it('fails permanently for an unknown channel, another user’s channel, or a revoked grant', async () => {
    await expect(processor.process({ userId: 'u1', channelId: 'ch-missing' }, job)).rejects.toMatchObject({ constructor: PermanentError, message: 'Webhook channel ch-missing not found for user u1' });
    await expect(processor.process({ userId: 'u1', channelId: 'ch-u2-primary' }, job)).rejects.toThrow(PermanentError);
    google.failNext('u1', 1, 'revoked');
    await expect(processor.process({ userId: 'u1', channelId: 'ch-u1-primary' }, job)).rejects.toThrow(PermanentError);
  });
});
