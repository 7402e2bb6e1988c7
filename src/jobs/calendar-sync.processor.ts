import { Logger } from '@nestjs/common';
import { JobHandler, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { CalendarService, type CalendarSyncCounts } from '../domain/calendar.service.js';
import type { FollowUpJob } from './follow-up-job.js';
import { FollowUpScheduler } from './follow-up.scheduler.js';
import { failJob } from './job-errors.js';
import { jobFields } from './job-log.js';
import { CalendarSyncPayload } from './payloads/calendar-sync.payload.js';

/** What `calendar-sync` returns: the sync's counts, and a suggestion refresh when events changed. */
export interface CalendarSyncResult extends CalendarSyncCounts {
  userId: string;
  fullSync: boolean;
  followUp: FollowUpJob[];
}

/** Mirrors the user's Google Calendar events (one calendar or all), reporting what changed. */
@JobHandler('calendar-sync', { payload: CalendarSyncPayload })
export class CalendarSyncProcessor implements JobProcessor<CalendarSyncPayload, CalendarSyncResult> {
  private readonly logger = new Logger(CalendarSyncProcessor.name);

  constructor(
    private readonly calendars: CalendarService,
    private readonly followUps: FollowUpScheduler,
  ) {}

  async process(data: CalendarSyncPayload, job: JobContext): Promise<CalendarSyncResult> {
    const { userId, calendarId, fullSync = false } = data;
    try {
      const counts = await this.calendars.sync(userId, { calendarId, fullSync });
      const changed = counts.added + counts.updated + counts.removed > 0;
      this.logger.log({ message: 'Calendar synced', ...jobFields(job), userId, ...counts });
      return await this.followUps.after(job, {
        userId,
        fullSync,
        ...counts,
        followUp: changed ? [{ name: 'suggestion-regeneration', data: { userId, reason: 'calendar-changed' } }] : [],
      });
    } catch (error) {
      throw failJob(this.logger, job, error, { userId, calendarId });
    }
  }
}
