import { Logger } from '@nestjs/common';
import { JobHandler, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { CalendarService } from '../domain/calendar.service.js';
import { ClockService } from '../domain/clock.service.js';
import { ContactService } from '../domain/contact.service.js';
import { GoogleApiError } from '../domain/domain.errors.js';
import type { SyncCounts } from '../domain/record-merge.js';
import { UserService } from '../domain/user.service.js';
import type { FollowUpJob } from './follow-up-job.js';
import { FollowUpScheduler } from './follow-up.scheduler.js';
import { failJob } from './job-errors.js';
import { jobFields } from './job-log.js';
import { AdaptiveSyncPayload, type AdaptiveSyncReason } from './payloads/adaptive-sync.payload.js';

/** One half of an adaptive sync. `failed` only on the final attempt, when the job degrades instead of dying. */
export type SyncOutcome = { status: 'synced'; changes: number } | { status: 'skipped' } | { status: 'failed'; error: string };

/** What `adaptive-sync` returns: what ran, and when to run again (as a delayed follow-up). */
export interface AdaptiveSyncResult {
  userId: string;
  reason: AdaptiveSyncReason;
  calendar: SyncOutcome;
  contacts: SyncOutcome;
  degraded: boolean;
  nextSyncInSeconds: number;
  followUp: FollowUpJob[];
}

const MINUTE_MS = 60_000;
/** How old each mirror may be before this reason triggers a sync (`undefined`: never for this reason). */
const MAX_AGE_MS: Record<AdaptiveSyncReason, { calendar: number; contacts?: number }> = {
  webhook: { calendar: 0 },
  'user-active': { calendar: 15 * MINUTE_MS, contacts: 6 * 60 * MINUTE_MS },
  scheduled: { calendar: 60 * MINUTE_MS, contacts: 24 * 60 * MINUTE_MS },
};

/**
 * Syncs whichever of the user's calendar and contacts is stale for the reason given, then schedules itself again:
 * sooner when something changed, later when nothing did. On the final attempt a transient Google failure of one half
 * degrades the result (`status: 'failed'`) instead of losing the other half's work.
 */
@JobHandler('adaptive-sync', { payload: AdaptiveSyncPayload })
export class AdaptiveSyncProcessor implements JobProcessor<AdaptiveSyncPayload, AdaptiveSyncResult> {
  private readonly logger = new Logger(AdaptiveSyncProcessor.name);

  constructor(
    private readonly users: UserService,
    private readonly calendars: CalendarService,
    private readonly contacts: ContactService,
    private readonly clock: ClockService,
    private readonly followUps: FollowUpScheduler,
  ) {}

  async process(data: AdaptiveSyncPayload, job: JobContext): Promise<AdaptiveSyncResult> {
    const { userId, reason = 'scheduled' } = data;
    try {
      this.users.get(userId);
      const maxAge = MAX_AGE_MS[reason];
      const calendar = await this.runIfStale(job, this.calendars.lastSyncedAt(userId), maxAge.calendar, () => this.calendars.sync(userId));
      const contacts = await this.runIfStale(job, this.contacts.lastSyncedAt(userId), maxAge.contacts, () => this.contacts.sync(userId));
      const changes = [calendar, contacts].reduce((sum, o) => sum + (o.status === 'synced' ? o.changes : 0), 0);
      const degraded = calendar.status === 'failed' || contacts.status === 'failed';
      const nextSyncInSeconds = degraded ? 300 : changes > 0 ? 900 : 3600;
      this.logger.log({ message: 'Adaptive sync done', ...jobFields(job), userId, reason, calendar, contacts, nextSyncInSeconds });
      const followUp: FollowUpJob[] = [{ name: 'adaptive-sync', data: { userId, reason: 'scheduled' }, options: { delay: nextSyncInSeconds } }];
      if (changes > 0) followUp.push({ name: 'suggestion-regeneration', data: { userId, reason: 'calendar-changed' } });
      return await this.followUps.after(job, { userId, reason, calendar, contacts, degraded, nextSyncInSeconds, followUp });
    } catch (error) {
      throw failJob(this.logger, job, error, { userId, reason });
    }
  }

  private async runIfStale(job: JobContext, lastSyncedAt: Date | undefined, maxAgeMs: number | undefined, sync: () => Promise<SyncCounts>): Promise<SyncOutcome> {
    if (maxAgeMs === undefined) return { status: 'skipped' };
    if (lastSyncedAt && maxAgeMs > 0 && this.clock.now().getTime() - lastSyncedAt.getTime() < maxAgeMs) return { status: 'skipped' };
    try {
      const counts = await sync();
      return { status: 'synced', changes: counts.added + counts.updated + counts.removed };
    } catch (error) {
      if (!(error instanceof GoogleApiError && error.retryable && job.isFinalAttempt)) throw error;
      this.logger.warn({ message: `Final attempt: keeping a partial sync (${error.message})`, ...jobFields(job) });
      return { status: 'failed', error: error.message };
    }
  }
}
