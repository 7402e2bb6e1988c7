import { ENQUEUE_RATE_LIMIT_UNAVAILABLE } from '../rate-limit/rate-limit.messages.js';

/**
 * `add()` refused a job whose enqueue limit could not be checked (the limit store is unreachable) because the limit's
 * `failMode` is `'closed'`. Nothing was sent; retry later. With `failMode: 'open'` (the default) the job is enqueued
 * instead and a warning is logged.
 */
export class EnqueueRateLimitUnavailableError extends Error {
  override readonly name = 'EnqueueRateLimitUnavailableError';
  constructor(
    readonly jobName: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(ENQUEUE_RATE_LIMIT_UNAVAILABLE(jobName, reason), options);
  }
}
