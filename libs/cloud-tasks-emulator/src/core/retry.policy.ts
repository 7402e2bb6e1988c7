import type { RetrySettings } from './queue-settings.interface.js';

/**
 * Delay before retry number `retryIndex` (0 = the first retry), as Cloud Tasks computes it: `minBackoff`, doubled
 * `maxDoublings` times, then growing linearly by `2^maxDoublings × minBackoff`, never above `maxBackoff`.
 * 10s/300s/3 doublings → 10, 20, 40, 80, 160, 240, 300, 300 …
 */
export function backoffMs({ minBackoffMs, maxBackoffMs, maxDoublings }: Pick<RetrySettings, 'minBackoffMs' | 'maxBackoffMs' | 'maxDoublings'>, retryIndex: number): number {
  if (minBackoffMs <= 0) return 0;
  const k = Math.max(0, retryIndex);
  const step = minBackoffMs * 2 ** Math.min(maxDoublings, 1024);
  const delay = k <= maxDoublings ? minBackoffMs * 2 ** k : step * (k - maxDoublings + 1);
  return Math.min(maxBackoffMs, delay);
}

/**
 * Whether a task that has failed its latest attempt may be tried again. Cloud Tasks stops once *both* limits are
 * reached: `maxAttempts` attempts made and `maxRetryDuration` elapsed since the first attempt. A limit that is not
 * set (`maxAttempts = -1`, `maxRetryDuration = 0`) does not hold the task back on its own, and with neither set the
 * task is retried forever.
 */
export function mayRetry(retry: RetrySettings, attemptsMade: number, sinceFirstAttemptMs: number): boolean {
  const attemptsLimited = retry.maxAttempts !== -1;
  const durationLimited = retry.maxRetryDurationMs > 0;
  if (!attemptsLimited && !durationLimited) return true;
  const attemptsReached = !attemptsLimited || attemptsMade >= retry.maxAttempts;
  const durationReached = !durationLimited || sinceFirstAttemptMs >= retry.maxRetryDurationMs;
  return !(attemptsReached && durationReached);
}
