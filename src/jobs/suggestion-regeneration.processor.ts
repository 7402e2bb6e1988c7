import { Logger } from '@nestjs/common';
import { JobHandler, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { ContactService } from '../domain/contact.service.js';
import { SuggestionService } from '../domain/suggestion.service.js';
import { UserService } from '../domain/user.service.js';
import type { FollowUpJob } from './follow-up-job.js';
import { FollowUpScheduler } from './follow-up.scheduler.js';
import { failJob } from './job-errors.js';
import { jobFields } from './job-log.js';
import { SuggestionRegenerationPayload, type RegenerationReason } from './payloads/suggestion-regeneration.payload.js';

/** What `suggestion-regeneration` returns; asks for a contacts sync first when there are no contacts yet. */
export interface SuggestionRegenerationResult {
  userId: string;
  reason: RegenerationReason;
  removed: number;
  created: number;
  suggestionIds: string[];
  followUp: FollowUpJob[];
}

/** Pending suggestions kept per user. */
export const PENDING_SUGGESTIONS = 5;

/** Replaces the user's pending suggestions with a fresh ranking of their synced contacts and calendar. */
@JobHandler('suggestion-regeneration', { payload: SuggestionRegenerationPayload })
export class SuggestionRegenerationProcessor implements JobProcessor<SuggestionRegenerationPayload, SuggestionRegenerationResult> {
  private readonly logger = new Logger(SuggestionRegenerationProcessor.name);

  constructor(
    private readonly users: UserService,
    private readonly contacts: ContactService,
    private readonly suggestions: SuggestionService,
    private readonly followUps: FollowUpScheduler,
  ) {}

  async process(data: SuggestionRegenerationPayload, job: JobContext): Promise<SuggestionRegenerationResult> {
    const { userId, reason = 'manual' } = data;
    try {
      this.users.get(userId);
      const { removed, created } = this.suggestions.regenerate(userId, PENDING_SUGGESTIONS);
      const followUp: FollowUpJob[] = this.contacts.lastSyncedAt(userId) ? [] : [{ name: 'google-contacts-sync', data: { userId } }];
      this.logger.log({ message: 'Suggestions regenerated', ...jobFields(job), userId, reason, removed, created: created.length });
      return await this.followUps.after(job, { userId, reason, removed, created: created.length, suggestionIds: created.map((s) => s.id), followUp });
    } catch (error) {
      throw failJob(this.logger, job, error, { userId });
    }
  }
}
