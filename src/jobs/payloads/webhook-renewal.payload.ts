import { IsNotEmpty, IsString } from 'class-validator';
import { UserJobPayload } from './user-job.payload.js';

/** `webhook-renewal`: renew one Google Calendar push channel before it expires. */
export class WebhookRenewalPayload extends UserJobPayload {
  @IsString()
  @IsNotEmpty()
  channelId!: string;
}
