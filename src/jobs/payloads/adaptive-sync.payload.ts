import { IsIn, IsOptional } from 'class-validator';
import { UserJobPayload } from './user-job.payload.js';

export const ADAPTIVE_SYNC_REASONS = ['webhook', 'user-active', 'scheduled'] as const;
export type AdaptiveSyncReason = (typeof ADAPTIVE_SYNC_REASONS)[number];

/** `adaptive-sync`: sync what is stale for this user, how stale depending on why we were woken up. */
export class AdaptiveSyncPayload extends UserJobPayload {
  /** Default `'scheduled'`. */
  @IsOptional()
  @IsIn(ADAPTIVE_SYNC_REASONS)
  reason?: AdaptiveSyncReason;
}
