import { Logger } from '@nestjs/common';
import { JobHandler, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { ClockService } from '../domain/clock.service.js';
import { GoogleApiError } from '../domain/domain.errors.js';
import { FakeGoogleApi } from '../domain/fake-google-api.service.js';
import { NotificationService } from '../domain/notification.service.js';
import { UserService, type User } from '../domain/user.service.js';
import type { FollowUpJob } from './follow-up-job.js';
import { FollowUpScheduler } from './follow-up.scheduler.js';
import { failJob } from './job-errors.js';
import { jobFields } from './job-log.js';
import { TokenHealthReminderPayload } from './payloads/token-health-reminder.payload.js';

export type TokenHealth = 'healthy' | 'needs-refresh' | 'revoked';

/** What `token-health-reminder` returns. `degraded`: Google was unreachable on the final attempt, judged locally. */
export interface TokenHealthReminderResult {
  userId: string;
  status: TokenHealth;
  /** True when a "reconnect Google" email was sent now. */
  notified: boolean;
  degraded: boolean;
  followUp: FollowUpJob[];
}

export const RECONNECT_TEMPLATE = 'reconnect-google';
const REFRESH_WITHIN_MS = 10 * 60_000;
const RENOTIFY_AFTER_MS = 24 * 3_600_000;

/**
 * Checks the user's Google grant with Google. Revoked: emails them to reconnect (at most once a day). Access token
 * expired or about to: asks for a `token-refresh`. On the final attempt, a Google outage degrades to the local state.
 */
@JobHandler('token-health-reminder', { payload: TokenHealthReminderPayload })
export class TokenHealthReminderProcessor implements JobProcessor<TokenHealthReminderPayload, TokenHealthReminderResult> {
  private readonly logger = new Logger(TokenHealthReminderProcessor.name);

  constructor(
    private readonly users: UserService,
    private readonly google: FakeGoogleApi,
    private readonly notifications: NotificationService,
    private readonly clock: ClockService,
    private readonly followUps: FollowUpScheduler,
  ) {}

  async process(data: TokenHealthReminderPayload, job: JobContext): Promise<TokenHealthReminderResult> {
    const { userId } = data;
    try {
      const user = this.users.get(userId);
      let degraded = false;
      if (!user.tokens.revokedAt) {
        try {
          await this.users.callGoogle(userId, () => this.google.getTokenInfo(userId));
        } catch (error) {
          if (!(error instanceof GoogleApiError) || (error.retryable && !job.isFinalAttempt)) throw error;
          degraded = error.retryable;
        }
      }
      const status = this.statusOf(user);
      const notified = status === 'revoked' && this.remindToReconnect(user);
      const followUp: FollowUpJob[] = status === 'needs-refresh' ? [{ name: 'token-refresh', data: { userId } }] : [];
      this.logger.log({ message: 'Token health checked', ...jobFields(job), userId, status, notified, degraded });
      return await this.followUps.after(job, { userId, status, notified, degraded, followUp });
    } catch (error) {
      throw failJob(this.logger, job, error, { userId });
    }
  }

  private statusOf(user: User): TokenHealth {
    if (user.tokens.revokedAt) return 'revoked';
    const left = user.tokens.accessTokenExpiresAt.getTime() - this.clock.now().getTime();
    return left <= REFRESH_WITHIN_MS ? 'needs-refresh' : 'healthy';
  }

  private remindToReconnect(user: User): boolean {
    const now = this.clock.now().getTime();
    const recent = this.notifications
      .sentTo(user.id)
      .some((n) => n.template === RECONNECT_TEMPLATE && now - n.createdAt.getTime() < RENOTIFY_AFTER_MS);
    if (recent) return false;
    this.notifications.send({ userId: user.id, channel: 'email', template: RECONNECT_TEMPLATE, body: `Hi ${user.name}, please reconnect your Google account to keep CatchUp in sync.` });
    return true;
  }
}
