import { IsIn, IsOptional } from 'class-validator';
import { UserJobPayload } from './user-job.payload.js';

export const REGENERATION_REASONS = ['contacts-changed', 'calendar-changed', 'manual'] as const;
export type RegenerationReason = (typeof REGENERATION_REASONS)[number];

/** `suggestion-regeneration`: replace the user's pending suggestions after their data changed. */
export class SuggestionRegenerationPayload extends UserJobPayload {
  /** Default `'manual'`. */
  @IsOptional()
  @IsIn(REGENERATION_REASONS)
  reason?: RegenerationReason;
}
