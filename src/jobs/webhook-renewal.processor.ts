import { Logger } from '@nestjs/common';
import { JobHandler, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { WebhookChannelService } from '../domain/webhook-channel.service.js';
import { failJob } from './job-errors.js';
import { jobFields } from './job-log.js';
import { WebhookRenewalPayload } from './payloads/webhook-renewal.payload.js';

/** What `webhook-renewal` returns: the channel's old and new expiry. */
export interface WebhookRenewalResult {
  userId: string;
  channelId: string;
  previousExpiresAt: string;
  expiresAt: string;
  /** How many times this channel has been renewed. */
  renewals: number;
}

/** Re-watches one Google Calendar push channel so it does not expire. An unknown channel is permanent. */
@JobHandler('webhook-renewal', { payload: WebhookRenewalPayload })
export class WebhookRenewalProcessor implements JobProcessor<WebhookRenewalPayload, WebhookRenewalResult> {
  private readonly logger = new Logger(WebhookRenewalProcessor.name);

  constructor(private readonly channels: WebhookChannelService) {}

  async process(data: WebhookRenewalPayload, job: JobContext): Promise<WebhookRenewalResult> {
    const { userId, channelId } = data;
    try {
      const { channel, previousExpiresAt } = await this.channels.renew(userId, channelId);
      const expiresAt = channel.expiresAt.toISOString();
      this.logger.log({ message: 'Webhook channel renewed', ...jobFields(job), userId, channelId, expiresAt });
      return { userId, channelId, previousExpiresAt: previousExpiresAt.toISOString(), expiresAt, renewals: channel.renewals };
    } catch (error) {
      throw failJob(this.logger, job, error, { userId, channelId });
    }
  }
}
