import { IsBoolean, IsOptional } from 'class-validator';
import { UserJobPayload } from './user-job.payload.js';

/** `google-contacts-sync`: mirror the user's Google contacts. */
export class GoogleContactsSyncPayload extends UserJobPayload {
  /** Also drop local contacts Google no longer has. */
  @IsOptional()
  @IsBoolean()
  fullSync?: boolean;
}
