import { Logger } from '@nestjs/common';
import { JobHandler, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { UserService } from '../domain/user.service.js';
import { WebhookChannelService } from '../domain/webhook-channel.service.js';
import type { FollowUpJob } from './follow-up-job.js';
import { FollowUpScheduler } from './follow-up.scheduler.js';
import { failJob } from './job-errors.js';
import { jobFields } from './job-log.js';
import { WebhookHealthCheckPayload } from './payloads/webhook-health-check.payload.js';

/** What `webhook-health-check` returns: channel counts, and a `webhook-renewal` follow-up per channel that needs one. */
export interface WebhookHealthCheckResult {
  checked: number;
  healthy: number;
  expiring: number;
  expired: number;
  followUp: FollowUpJob[];
}

const HOUR_MS = 3_600_000;

/** Finds webhook channels (one user's or all) that expired or expire within `renewWithinHours`, and asks for their renewal. */
@JobHandler('webhook-health-check', { payload: WebhookHealthCheckPayload })
export class WebhookHealthCheckProcessor implements JobProcessor<WebhookHealthCheckPayload, WebhookHealthCheckResult> {
  private readonly logger = new Logger(WebhookHealthCheckProcessor.name);

  constructor(
    private readonly users: UserService,
    private readonly channels: WebhookChannelService,
    private readonly followUps: FollowUpScheduler,
  ) {}

  async process(data: WebhookHealthCheckPayload, job: JobContext): Promise<WebhookHealthCheckResult> {
    const { userId, renewWithinHours = 24 } = data;
    try {
      if (userId !== undefined) this.users.get(userId);
      const result: WebhookHealthCheckResult = { checked: 0, healthy: 0, expiring: 0, expired: 0, followUp: [] };
      for (const channel of this.channels.list(userId)) {
        const health = this.channels.health(channel, renewWithinHours * HOUR_MS);
        result.checked++;
        result[health]++;
        if (health !== 'healthy') result.followUp.push({ name: 'webhook-renewal', data: { userId: channel.userId, channelId: channel.id } });
      }
      const { followUp, ...counts } = result;
      this.logger.log({ message: 'Webhook channels checked', ...jobFields(job), userId, ...counts, renewals: followUp.length });
      return await this.followUps.after(job, result);
    } catch (error) {
      throw failJob(this.logger, job, error, { userId });
    }
  }
}
