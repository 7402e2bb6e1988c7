import { ENQUEUE_RATE_LIMITED } from '../rate-limit/rate-limit.messages.js';

/** What an {@link EnqueueRateLimitError} knows of the limit that refused a job. */
export interface EnqueueRateLimitHit {
  jobName: string;
  /** The key the job was counted for (what `enqueueRateLimits[jobName].key(data)` returned; `*` without a key function). */
  key: string;
  /** Adds allowed per key in each window. */
  limit: number;
  windowMs: number;
  /** When the window ends and the job may be added again. */
  resetAt: Date;
}

/**
 * `add()` refused a job because its key reached the job's enqueue limit (`enqueueRateLimits`) in the current window.
 * Nothing was sent: retry after {@link retryAfter} seconds (what an HTTP API answers as 429 with `Retry-After`).
 */
export class EnqueueRateLimitError extends Error implements EnqueueRateLimitHit {
  override readonly name = 'EnqueueRateLimitError';
  readonly jobName: string;
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly resetAt: Date;
  /** Whole seconds until the window ends (at least 1). */
  readonly retryAfter: number;

  constructor(hit: EnqueueRateLimitHit, now: number = Date.now()) {
    const retryAfter = Math.max(1, Math.ceil((hit.resetAt.getTime() - now) / 1000));
    super(ENQUEUE_RATE_LIMITED(hit.jobName, hit.key, hit.limit, hit.windowMs, retryAfter, hit.resetAt));
    this.jobName = hit.jobName;
    this.key = hit.key;
    this.limit = hit.limit;
    this.windowMs = hit.windowMs;
    this.resetAt = hit.resetAt;
    this.retryAfter = retryAfter;
  }
}
