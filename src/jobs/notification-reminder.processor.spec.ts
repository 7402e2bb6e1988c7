import { Test } from '@nestjs/testing';
import { PermanentError } from '@nest-cloud-tasks/core';
import { DomainModule, NotificationService, ReminderService } from '../domain/index.js';
import { NotificationReminderProcessor } from './notification-reminder.processor.js';
import { createJobContext } from '@nest-cloud-tasks/core/testing';
import { QUEUE_CONFIGS } from '../config/queue.config.js';

describe('NotificationReminderProcessor', () => {
  let processor: NotificationReminderProcessor;
  let notifications: NotificationService;
  let reminders: ReminderService;
  const job = createJobContext('notification-reminder', { queue: QUEUE_CONFIGS['notification-reminder'] });

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DomainModule], providers: [NotificationReminderProcessor] }).compile();
    moduleRef.useLogger(false);
    processor = moduleRef.get(NotificationReminderProcessor);
    notifications = moduleRef.get(NotificationService);
    reminders = moduleRef.get(ReminderService);
  });

  it('sends the reminder on the requested channel and marks it sent', async () => {
    const result = await processor.process({ userId: 'u1', reminderId: 'rem-1', channel: 'push' }, job);
    expect(result).toEqual({ userId: 'u1', reminderId: 'rem-1', channel: 'push', sent: true, notificationId: notifications.outbox[0].id });
    expect(notifications.outbox).toEqual([expect.objectContaining({ userId: 'u1', channel: 'push', template: 'catch-up-reminder', body: 'Time to catch up with Grace' })]);
    expect(reminders.get('u1', 'rem-1').sentAt).toBeInstanceOf(Date);
  });

  it('sends a reminder only once', async () => {
    await processor.process({ userId: 'u1', reminderId: 'rem-1', channel: 'email' }, job);
    await expect(processor.process({ userId: 'u1', reminderId: 'rem-1', channel: 'email' }, job)).resolves.toEqual({ userId: 'u1', reminderId: 'rem-1', channel: 'email', sent: false });
    expect(notifications.outbox).toHaveLength(1);
  });

  it('fails permanently for an unknown reminder, another user’s reminder, or an unknown user', async () => {
    await expect(processor.process({ userId: 'u1', reminderId: 'rem-404', channel: 'email' }, job)).rejects.toMatchObject({ constructor: PermanentError, message: 'Reminder rem-404 not found for user u1' });
    await expect(processor.process({ userId: 'u1', reminderId: 'rem-2', channel: 'email' }, job)).rejects.toThrow(PermanentError);
    await expect(processor.process({ userId: 'nobody', reminderId: 'rem-1', channel: 'email' }, job)).rejects.toThrow(PermanentError);
    expect(notifications.outbox).toHaveLength(0);
  });
});
