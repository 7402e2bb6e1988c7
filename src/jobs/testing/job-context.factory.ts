import type { JobContext } from '../../../libs/cloud-tasks/src/index.js';
import { QUEUE_CONFIGS, type JobName } from '../../config/queue.config.js';

/**
 * Builds the {@link JobContext} a delivery of `jobName` would get, with its queue and attempt cap from
 * `QUEUE_CONFIGS`; `attempt` and `isFinalAttempt` follow from `retryCount` and `maxAttempts` unless overridden.
 *
 * @example createJobContext('calendar-sync', { retryCount: 4 }) // attempt 5 of 5: isFinalAttempt
 */
export function createJobContext(jobName: JobName, overrides: Partial<JobContext> = {}): JobContext {
  const retryCount = overrides.retryCount ?? 0;
  const maxAttempts = overrides.maxAttempts ?? QUEUE_CONFIGS[jobName].retryConfig.maxAttempts;
  const attempt = retryCount + 1;
  return {
    jobName,
    queueName: QUEUE_CONFIGS[jobName].name,
    taskName: `${jobName}-task-1`,
    idempotencyKey: `${jobName}-key-1`,
    retryCount,
    executionCount: retryCount,
    attempt,
    maxAttempts,
    isFinalAttempt: maxAttempts !== -1 && attempt >= maxAttempts,
    eta: new Date('2030-01-01T00:00:00Z'),
    enqueuedAt: new Date('2030-01-01T00:00:00Z'),
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** The context of the last attempt Cloud Tasks makes for `jobName`. */
export function finalAttemptContext(jobName: JobName): JobContext {
  return createJobContext(jobName, { retryCount: QUEUE_CONFIGS[jobName].retryConfig.maxAttempts - 1 });
}
