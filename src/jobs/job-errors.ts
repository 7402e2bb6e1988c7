import type { Logger } from '@nestjs/common';
import { PermanentError, RetryableError, type JobContext } from '@nest-cloud-tasks/core';
import { AccountDisconnectedError, GoogleApiError, RecordNotFoundError, UserNotFoundError } from '../domain/domain.errors.js';
import { jobFields } from './job-log.js';

/**
 * Maps a domain error to how Cloud Tasks should treat it: Google 429/503 → {@link RetryableError};
 * a revoked grant, a missing user or record → {@link PermanentError}. Anything else is returned as is
 * (the library retries unknown errors until the final attempt).
 */
export function toJobError(error: unknown): unknown {
  if (error instanceof RetryableError || error instanceof PermanentError) return error;
  if (error instanceof GoogleApiError) {
    return error.retryable
      ? new RetryableError(error.message, { cause: error })
      : new PermanentError(`${error.message}: the user must reconnect Google`, { cause: error });
  }
  if (error instanceof UserNotFoundError || error instanceof AccountDisconnectedError || error instanceof RecordNotFoundError) {
    return new PermanentError(error.message, { cause: error });
  }
  return error;
}

/** {@link toJobError}, logging the failure with the delivery's attempt and what happens next. */
export function failJob(logger: Logger, job: JobContext, error: unknown, fields: Record<string, unknown> = {}): unknown {
  const mapped = toJobError(error);
  const next = mapped instanceof PermanentError ? 'dead' : job.isFinalAttempt ? 'final attempt, dead' : 'retrying';
  const message = mapped instanceof Error ? mapped.message : String(mapped);
  logger.warn({ message: `${job.jobName} failed (${next}): ${message}`, ...jobFields(job), ...fields });
  return mapped;
}
