import { Logger } from '@nestjs/common';
import { JobHandler, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { ContactService } from '../domain/contact.service.js';
import type { SyncCounts } from '../domain/record-merge.js';
import type { FollowUpJob } from './follow-up-job.js';
import { FollowUpScheduler } from './follow-up.scheduler.js';
import { failJob } from './job-errors.js';
import { jobFields } from './job-log.js';
import { GoogleContactsSyncPayload } from './payloads/google-contacts-sync.payload.js';

/** What `google-contacts-sync` returns: the sync's counts, and a suggestion refresh when contacts changed. */
export interface GoogleContactsSyncResult extends SyncCounts {
  userId: string;
  fullSync: boolean;
  followUp: FollowUpJob[];
}

/** Mirrors the user's Google contacts, reporting what changed. */
@JobHandler('google-contacts-sync', { payload: GoogleContactsSyncPayload })
export class GoogleContactsSyncProcessor implements JobProcessor<GoogleContactsSyncPayload, GoogleContactsSyncResult> {
  private readonly logger = new Logger(GoogleContactsSyncProcessor.name);

  constructor(
    private readonly contacts: ContactService,
    private readonly followUps: FollowUpScheduler,
  ) {}

  async process(data: GoogleContactsSyncPayload, job: JobContext): Promise<GoogleContactsSyncResult> {
    const { userId, fullSync = false } = data;
    try {
      const counts = await this.contacts.sync(userId, { fullSync });
      const changed = counts.added + counts.updated + counts.removed > 0;
      this.logger.log({ message: 'Contacts synced', ...jobFields(job), userId, ...counts });
      return await this.followUps.after(job, {
        userId,
        fullSync,
        ...counts,
        followUp: changed ? [{ name: 'suggestion-regeneration', data: { userId, reason: 'contacts-changed' } }] : [],
     });
    } catch (error) {
      throw failJob(this.logger, job, error, { userId });
    }
  }
}
