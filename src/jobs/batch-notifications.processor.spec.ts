import { Test } from '@nestjs/testing';
import { PermanentError, RetryableError } from '@nest-cloud-tasks/core';
import { DomainModule, NotificationService } from '../domain/index.js';
import { BatchNotificationsProcessor } from './batch-notifications.processor.js';
import { createJobContext } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';

describe('BatchNotificationsProcessor', () => {
  let processor: BatchNotificationsProcessor;
  let notifications: NotificationService;
  const job = createJobContext('batch-notifications', { queue: QUEUE_CONFIGS['batch-notifications'] });

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DomainModule], providers: [BatchNotificationsProcessor] }).compile();
    moduleRef.useLogger(false);
    processor = moduleRef.get(BatchNotificationsProcessor);
    notifications = moduleRef.get(NotificationService);
  });

  it('emails every known user once, and reports the unknown ones', async () => {
    await expect(processor.process({ userIds: ['u1', 'u2', 'u1', 'ghost'], template: 'weekly-digest' }, job)).resolves.toEqual({
      template: 'weekly-digest',
      recipients: 3,
      sent: 2,
      alreadySent: 0,
      unknownUserIds: ['ghost'],
    });
    expect(notifications.outbox.map((n) => [n.userId, n.channel, n.template])).toEqual([
      ['u1', 'email', 'weekly-digest'],
      ['u2', 'email', 'weekly-digest'],
    ]);
  });

  it('does not send twice when the same job is delivered again', async () => {
    await processor.process({ userIds: ['u1', 'u2'], template: 'weekly-digest' }, job);
    await expect(processor.process({ userIds: ['u1', 'u2', 'u3'], template: 'weekly-digest' }, createJobContext('batch-notifications', { queue: QUEUE_CONFIGS['batch-notifications'], idempotencyKey: job.idempotencyKey, retryCount: 1 }))).resolves.toMatchObject({
      sent: 1,
      alreadySent: 2,
    });
    expect(notifications.outbox).toHaveLength(3);
  });

  it('stops and retries when the dispatch deadline passed', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(processor.process({ userIds: ['u1'], template: 't' }, createJobContext('batch-notifications', { queue: QUEUE_CONFIGS['batch-notifications'], signal: controller.signal }))).rejects.toThrow(RetryableError);
    expect(notifications.outbox).toHaveLength(0);
  });

  it('fails permanently when no user of the batch exists', async () => {
    await expect(processor.process({ userIds: ['ghost', 'phantom'], template: 't' }, job)).rejects.toMatchObject({ constructor: PermanentError, message: 'None of the 2 users of this batch exist' });
  });
});
