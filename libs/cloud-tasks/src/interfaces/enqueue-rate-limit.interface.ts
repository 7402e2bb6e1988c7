import type { JobName, JobPayloadOf } from './job.interface.js';

/** A rate-limit window: a whole number of milliseconds, seconds, minutes, hours or days (`'500ms'`, `'30s'`, `'1m'`, `'1h'`, `'1d'`). */
export type RateLimitWindow = `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

/**
 * How often one job may be enqueued, per key (e.g. per user), checked by `JobQueueService.add()`/`addBulk()` before
 * the job goes to its transport. A fixed window: at most `limit` adds per key in each `window`, the count starting
 * afresh at each window's boundary. Shared by every instance through the Upstash database of the idempotency records
 * (`idempotency.upstash`); in memory, per instance, without one (local mode, or `allowMemoryStores`).
 */
export interface EnqueueRateLimit<T = unknown> {
  /** Adds allowed per key in each window (1 – 1,000,000). */
  limit: number;
  /** Length of a window, 1 s to 1 day (`'1m'`). */
  window: RateLimitWindow;
  /**
   * Who the limit is counted for, from the job's data: a user id, a tenant id. A non-empty string (at most 200
   * characters) or a finite number; anything else makes `add()` throw `EnqueueValidationError`. Without it, the job
   * has one limit shared by every caller.
   */
  key?(data: T): string | number;
  /**
   * When the limit store cannot be reached (or does not answer within 1 s): `'open'` (default) enqueues the job and
   * logs a warning, `'closed'` refuses it with `EnqueueRateLimitUnavailableError`.
   */
  failMode?: 'open' | 'closed';
}

/**
 * Per-job enqueue limits (see {@link EnqueueRateLimit}), keyed by job name; each job needs a queue config. With
 * `JobPayloads` augmented, `key` receives the job's payload type.
 */
export type EnqueueRateLimits = { [N in JobName]?: EnqueueRateLimit<JobPayloadOf<N>> };
