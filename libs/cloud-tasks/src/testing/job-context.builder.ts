import { randomUUID } from 'node:crypto';
import type { JobContext } from '../interfaces/job.interface.js';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';

/** What {@link createJobContext} takes: any field of the context, and the job's queue config to derive the rest from. */
export type JobContextOverrides = Partial<JobContext> & { queue?: QueueConfig };

/**
 * The {@link JobContext} a delivery of `jobName` would get, for processor unit tests (nothing of gRPC, HTTP or
 * google-auth is loaded). Queue name and attempt cap come from `queue` when given; `attempt` and `isFinalAttempt`
 * follow from `retryCount` and `maxAttempts` unless overridden.
 *
 * @example
 * const job = createJobContext('calendar-sync', { queue: QUEUE_CONFIGS['calendar-sync'], retryCount: 4 }); // attempt 5 of 5: final
 * await processor.process({ userId: 'u1' }, job);
 */
export function createJobContext(jobName: string, overrides: JobContextOverrides = {}): JobContext {
  const { queue, ...fields } = overrides;
  const retryCount = fields.retryCount ?? 0;
  const maxAttempts = fields.maxAttempts ?? queue?.retryConfig.maxAttempts ?? 3;
  const attempt = fields.attempt ?? retryCount + 1;
  const now = new Date();
  return {
    jobName,
    queueName: queue?.name ?? `${jobName}-queue`,
    taskName: `${jobName}-task-${randomUUID().slice(0, 8)}`,
    idempotencyKey: randomUUID(),
    retryCount,
    executionCount: retryCount,
    attempt,
    maxAttempts,
    isFinalAttempt: maxAttempts !== -1 && attempt >= maxAttempts,
    eta: now,
    enqueuedAt: now,
    signal: new AbortController().signal,
    ...fields,
  };
}
