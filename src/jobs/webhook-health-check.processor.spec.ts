import { Test } from '@nestjs/testing';
import { PermanentError } from '@nest-cloud-tasks/core';
import { ClockService, DomainModule, WebhookChannelService } from '../domain/index.js';
import { createJobContext } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';
import { WebhookHealthCheckProcessor } from './webhook-health-check.processor.js';
import { FakeJobQueue, followUpTestProviders } from './testing/fake-job-queue.js';

describe('WebhookHealthCheckProcessor', () => {
  let queue = new FakeJobQueue();
  let processor: WebhookHealthCheckProcessor;
  let channels: WebhookChannelService;
  let clock: ClockService;
  const job = createJobContext('webhook-health-check', { queue: QUEUE_CONFIGS['webhook-health-check'] });

  beforeEach(async () => {
    queue = new FakeJobQueue();
    const moduleRef = await Test.createTestingModule({ imports: [DomainModule], providers: [WebhookHealthCheckProcessor, ...followUpTestProviders(queue)] }).compile();
    moduleRef.useLogger(false);
    processor = moduleRef.get(WebhookHealthCheckProcessor);
    channels = moduleRef.get(WebhookChannelService);
    clock = moduleRef.get(ClockService);
    clock.freeze();
  });

  it('checks every channel and asks to renew those expiring within 24 h', async () => {
    channels.register('u1', 'ch-u1-old', 'work', -60);
    await expect(processor.process({}, job)).resolves.toEqual({
      checked: 3,
      healthy: 1,
      expiring: 1,
      expired: 1,
      followUp: [
        { name: 'webhook-renewal', data: { userId: 'u2', channelId: 'ch-u2-primary' } },
        { name: 'webhook-renewal', data: { userId: 'u1', channelId: 'ch-u1-old' } },
      ],
    });
  });

  it('checks one user’s channels, with a wider renewal window', async () => {
    await expect(processor.process({ userId: 'u1' }, job)).resolves.toMatchObject({ checked: 1, healthy: 1, followUp: [] });
    await expect(processor.process({ userId: 'u1', renewWithinHours: 168 }, job)).resolves.toMatchObject({ checked: 1, expiring: 1, followUp: [{ name: 'webhook-renewal' }] });
  });

  it('sees channels expire as time passes', async () => {
    clock.advance(7 * 86_400_000);
    await expect(processor.process({}, job)).resolves.toMatchObject({ checked: 2, expired: 2 });
  });

  it('fails permanently for an unknown user', async () => {
    await expect(processor.process({ userId: 'nobody' }, job)).rejects.toThrow(PermanentError);
  });
});
