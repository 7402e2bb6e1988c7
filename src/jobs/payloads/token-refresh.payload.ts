import { IsBoolean, IsOptional } from 'class-validator';
import { UserJobPayload } from './user-job.payload.js';

/** `token-refresh`: refresh the user's Google access token. */
export class TokenRefreshPayload extends UserJobPayload {
  /** Refresh even if the current access token is still valid for a while. */
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}
