import { Logger } from '@nestjs/common';
import { JobHandler, PermanentError, RetryableError, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { NotificationService } from '../domain/notification.service.js';
import { UserService } from '../domain/user.service.js';
import { failJob } from './job-errors.js';
import { jobFields } from './job-log.js';
import { BatchNotificationsPayload } from './payloads/batch-notifications.payload.js';

/** What `batch-notifications` returns. */
export interface BatchNotificationsResult {
  template: string;
  /** Distinct user ids in the batch. */
  recipients: number;
  sent: number;
  /** Already sent by an earlier attempt of this job (same idempotency key). */
  alreadySent: number;
  unknownUserIds: string[];
}

/**
 * Emails one template to every user of the batch (outbox). Each send is keyed by the job's idempotency key and the
 * user, so a retry (e.g. after the dispatch deadline aborted `job.signal` mid-batch) only sends what is left.
 * Unknown users are skipped and reported; a batch with no known user at all is permanent.
 */
@JobHandler('batch-notifications', { payload: BatchNotificationsPayload })
export class BatchNotificationsProcessor implements JobProcessor<BatchNotificationsPayload, BatchNotificationsResult> {
  private readonly logger = new Logger(BatchNotificationsProcessor.name);

  constructor(
    private readonly users: UserService,
    private readonly notifications: NotificationService,
  ) {}

  async process(data: BatchNotificationsPayload, job: JobContext): Promise<BatchNotificationsResult> {
    const { template } = data;
    const userIds = [...new Set(data.userIds)];
    try {
      const result: BatchNotificationsResult = { template, recipients: userIds.length, sent: 0, alreadySent: 0, unknownUserIds: [] };
      for (const userId of userIds) {
        if (job.signal.aborted) {
          throw new RetryableError(`Dispatch deadline passed after ${result.sent} of ${userIds.length} users; the rest are sent on retry`);
        }
        const user = this.users.find(userId);
        const dedupeKey = `${job.idempotencyKey}:${userId}`;
        if (!user) result.unknownUserIds.push(userId);
        else if (this.notifications.hasSent(dedupeKey)) result.alreadySent++;
        else {
          this.notifications.send({ userId, channel: 'email', template, body: `Hi ${user.name}: ${template}`, dedupeKey });
          result.sent++;
        }
      }
      if (result.unknownUserIds.length === userIds.length) throw new PermanentError(`None of the ${userIds.length} users of this batch exist`);
      this.logger.log({ message: 'Batch notifications sent', ...jobFields(job), template, sent: result.sent, unknown: result.unknownUserIds.length });
      return result;
    } catch (error) {
      throw failJob(this.logger, job, error, { template, recipients: userIds.length });
    }
  }
}
