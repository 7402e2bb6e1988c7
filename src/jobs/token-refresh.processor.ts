import { Logger } from '@nestjs/common';
import { JobHandler, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { ClockService } from '../domain/clock.service.js';
import { FakeGoogleApi } from '../domain/fake-google-api.service.js';
import { UserService } from '../domain/user.service.js';
import { failJob } from './job-errors.js';
import { jobFields } from './job-log.js';
import { TokenRefreshPayload } from './payloads/token-refresh.payload.js';

/** What `token-refresh` returns: whether it refreshed, and the access token's (new) expiry. */
export interface TokenRefreshResult {
  userId: string;
  refreshed: boolean;
  /** ISO time the access token expires. */
  expiresAt: string;
}

/** A token still valid this long is left alone unless `force` is set. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Refreshes the user's Google access token with their refresh token and records the new expiry.
 * Google 429/503 → retry; a revoked grant marks the user revoked and is permanent; so is an unknown user.
 */
@JobHandler('token-refresh', { payload: TokenRefreshPayload })
export class TokenRefreshProcessor implements JobProcessor<TokenRefreshPayload, TokenRefreshResult> {
  private readonly logger = new Logger(TokenRefreshProcessor.name);

  constructor(
    private readonly users: UserService,
    private readonly google: FakeGoogleApi,
    private readonly clock: ClockService,
  ) {}

  async process(data: TokenRefreshPayload, job: JobContext): Promise<TokenRefreshResult> {
    const { userId } = data;
    try {
      const { tokens } = this.users.get(userId);
      if (!data.force && !tokens.revokedAt && tokens.accessTokenExpiresAt.getTime() - this.clock.now().getTime() > REFRESH_MARGIN_MS) {
        this.logger.log({ message: 'Access token still valid, not refreshed', ...jobFields(job), userId });
        return { userId, refreshed: false, expiresAt: tokens.accessTokenExpiresAt.toISOString() };
      }
      const fresh = await this.users.callGoogle(userId, () => this.google.refreshAccessToken(userId));
      const expiresAt = new Date(this.clock.now().getTime() + fresh.expiresInSeconds * 1000);
      this.users.recordAccessToken(userId, fresh.accessToken, expiresAt);
      this.logger.log({ message: 'Access token refreshed', ...jobFields(job), userId, expiresAt: expiresAt.toISOString() });
      return { userId, refreshed: true, expiresAt: expiresAt.toISOString() };
    } catch (error) {
      throw failJob(this.logger, job, error, { userId });
    }
  }
}
