import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import { parseDuration } from '../utils/duration.js';

/**
 * The wait before retry number `retryIndex` (0 = the first retry) of a job on `queue`, as Cloud Tasks computes it:
 * `minBackoff`, doubled `maxDoublings` times, then growing linearly by the last doubled step, never above `maxBackoff`.
 * Used by the transports that do their own retrying (inline, BullMQ), so a job is retried the same way everywhere.
 */
export function retryDelayMs(queue: QueueConfig, retryIndex: number): number {
  const { minBackoff, maxBackoff, maxDoublings } = queue.retryConfig;
  const min = parseDuration(minBackoff) ?? 100;
  const max = parseDuration(maxBackoff) ?? 3_600_000;
  const k = Math.max(0, retryIndex);
  const delay = k <= maxDoublings ? min * 2 ** k : min * 2 ** maxDoublings * (k - maxDoublings + 1);
  return Math.min(max, delay);
}

/** Whether the queue allows another attempt after `attemptsMade` (`-1` attempts = unlimited). */
export function mayRetry(queue: QueueConfig, attemptsMade: number): boolean {
  const { maxAttempts } = queue.retryConfig;
  return maxAttempts === -1 || attemptsMade < maxAttempts;
}
