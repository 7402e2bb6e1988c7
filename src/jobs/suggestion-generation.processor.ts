import { Logger } from '@nestjs/common';
import { JobHandler, type JobContext, type JobProcessor } from '@nest-cloud-tasks/core';
import { ContactService } from '../domain/contact.service.js';
import { GoogleApiError } from '../domain/domain.errors.js';
import { SuggestionService } from '../domain/suggestion.service.js';
import { UserService } from '../domain/user.service.js';
import { failJob } from './job-errors.js';
import { jobFields } from './job-log.js';
import { SuggestionGenerationPayload } from './payloads/suggestion-generation.payload.js';

/** What `suggestion-generation` returns. `degraded`: contacts could not be fetched on the final attempt. */
export interface SuggestionGenerationResult {
  userId: string;
  created: number;
  suggestionIds: string[];
  /** True when the contacts were fetched from Google first (never synced before). */
  contactsSynced: boolean;
  degraded: boolean;
}

/**
 * Adds up to `limit` new catch-up suggestions for contacts that have none pending. A user whose contacts were never
 * synced gets them fetched first; if Google is unavailable on the final attempt it generates from what it has.
 */
@JobHandler('suggestion-generation', { payload: SuggestionGenerationPayload })
export class SuggestionGenerationProcessor implements JobProcessor<SuggestionGenerationPayload, SuggestionGenerationResult> {
  private readonly logger = new Logger(SuggestionGenerationProcessor.name);

  constructor(
    private readonly users: UserService,
    private readonly contacts: ContactService,
    private readonly suggestions: SuggestionService,
  ) {}

  async process(data: SuggestionGenerationPayload, job: JobContext): Promise<SuggestionGenerationResult> {
    const { userId, limit = 5 } = data;
    try {
      this.users.get(userId);
      let contactsSynced = false;
      let degraded = false;
      if (!this.contacts.lastSyncedAt(userId)) {
        try {
          await this.contacts.sync(userId);
          contactsSynced = true;
        } catch (error) {
          if (!(error instanceof GoogleApiError && error.retryable && job.isFinalAttempt)) throw error;
          this.logger.warn({ message: `Final attempt: generating without fresh contacts (${error.message})`, ...jobFields(job), userId });
          degraded = true;
        }
      }
      const created = this.suggestions.generate(userId, limit);
      this.logger.log({ message: 'Suggestions generated', ...jobFields(job), userId, created: created.length, degraded });
      return { userId, created: created.length, suggestionIds: created.map((s) => s.id), contactsSynced, degraded };
    } catch (error) {
      throw failJob(this.logger, job, error, { userId });
    }
  }
}
