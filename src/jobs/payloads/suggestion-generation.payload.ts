import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { UserJobPayload } from './user-job.payload.js';

/** `suggestion-generation`: add new catch-up suggestions for the user. */
export class SuggestionGenerationPayload extends UserJobPayload {
  /** How many new suggestions at most (1–20, default 5). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  limit?: number;
}
