import { Logger } from '@nestjs/common';
import { JobHandler, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { NotificationService, type NotificationChannel } from '../domain/notification.service.js';
import { ReminderService } from '../domain/reminder.service.js';
import { UserService } from '../domain/user.service.js';
import { failJob } from './job-errors.js';
import { jobFields } from './job-log.js';
import { NotificationReminderPayload } from './payloads/notification-reminder.payload.js';

/** What `notification-reminder` returns: `sent: false` when the reminder had already gone out. */
export interface NotificationReminderResult {
  userId: string;
  reminderId: string;
  channel: NotificationChannel;
  sent: boolean;
  notificationId?: string;
}

/** Sends one reminder (outbox) on the requested channel, at most once. An unknown user or reminder is permanent. */
@JobHandler('notification-reminder', { payload: NotificationReminderPayload })
export class NotificationReminderProcessor implements JobProcessor<NotificationReminderPayload, NotificationReminderResult> {
  private readonly logger = new Logger(NotificationReminderProcessor.name);

  constructor(
    private readonly users: UserService,
    private readonly reminders: ReminderService,
    private readonly notifications: NotificationService,
  ) {}

  async process(data: NotificationReminderPayload, job: JobContext): Promise<NotificationReminderResult> {
    const { userId, reminderId, channel } = data;
    try {
      this.users.get(userId);
      const reminder = this.reminders.get(userId, reminderId);
      if (reminder.sentAt) {
        this.logger.log({ message: 'Reminder already sent', ...jobFields(job), userId, reminderId });
        return { userId, reminderId, channel, sent: false };
      }
      const notification = this.notifications.send({ userId, channel, template: 'catch-up-reminder', body: reminder.message, dedupeKey: `reminder:${reminderId}` });
      this.reminders.markSent(userId, reminderId);
      this.logger.log({ message: 'Reminder sent', ...jobFields(job), userId, reminderId, channel });
      return { userId, reminderId, channel, sent: true, notificationId: notification.id };
    } catch (error) {
      throw failJob(this.logger, job, error, { userId, reminderId });
    }
  }
}
