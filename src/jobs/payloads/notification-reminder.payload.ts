import { IsIn, IsNotEmpty, IsString } from 'class-validator';
import { UserJobPayload } from './user-job.payload.js';

export const REMINDER_CHANNELS = ['email', 'push'] as const;

/** `notification-reminder`: send one reminder the user set. */
export class NotificationReminderPayload extends UserJobPayload {
  @IsString()
  @IsNotEmpty()
  reminderId!: string;

  @IsIn(REMINDER_CHANNELS)
  channel!: (typeof REMINDER_CHANNELS)[number];
}
