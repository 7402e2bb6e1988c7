/**
 * Retry policy of one Cloud Tasks queue, with durations written the way Cloud Tasks writes them (`'30s'`, `'1.5s'`).
 *
 * Cloud Tasks waits `minBackoff` before the first retry, doubles the wait `maxDoublings` times, then grows it
 * linearly by the last doubled step, never beyond `maxBackoff`. A task stops being retried once both
 * `maxAttempts` and `maxRetryDuration` are exhausted; `-1` attempts means unlimited.
 */
export interface RetryConfig {
  /** Total attempts including the first; `-1` = unlimited. */
  maxAttempts: number;
  /** First retry delay, e.g. `'10s'`. */
  minBackoff: string;
  /** Ceiling of the retry delay, e.g. `'300s'`. */
  maxBackoff: string;
  /** How many times the delay doubles before it grows linearly. */
  maxDoublings: number;
  /** Time limit for retrying a failed task, measured from its first attempt, e.g. `'3600s'`; unset or `'0s'` = unlimited. */
  maxRetryDuration?: string;
}

/** Dispatch limits of one queue. */
export interface RateLimits {
  /** Maximum rate at which tasks are dispatched (Cloud Tasks default 500). */
  maxDispatchesPerSecond?: number;
  /** Maximum number of tasks in flight at once (Cloud Tasks default 1000). */
  maxConcurrentDispatches?: number;
}

/** How one job type maps onto a Cloud Tasks queue. */
export interface QueueConfig {
  /** Queue id (the last segment of `projects/P/locations/L/queues/ID`), e.g. `'calendar-sync-queue'`. */
  name: string;
  retryConfig: RetryConfig;
  rateLimits?: RateLimits;
  /** Default dispatch deadline of this job's tasks in seconds (15–1800; Cloud Tasks' default is 600). */
  dispatchDeadline?: number;
}
