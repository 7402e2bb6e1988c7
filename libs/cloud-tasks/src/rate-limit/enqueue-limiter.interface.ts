/** One enqueue limit as a limiter applies it: `limit` hits per key in each fixed window of `windowMs`. */
export interface EnqueueLimitRule {
  /** The job the rule belongs to (rules of different jobs never share a count). */
  jobName: string;
  limit: number;
  windowMs: number;
}

/** What a limiter says of one hit. */
export interface EnqueueLimitDecision {
  allowed: boolean;
  /** Hits left in the window after this one. */
  remaining: number;
  /** Epoch ms when the window ends and the count starts afresh. */
  resetAt: number;
}

/**
 * Counts enqueues against their limits: Upstash (`@upstash/ratelimit`, shared by every instance) when
 * `idempotency.upstash` is set, memory (per instance, bounded) otherwise. Provide your own under this token to count
 * elsewhere; reject (throw) when the count cannot be reached, so that the limit's `failMode` applies.
 */
export interface EnqueueLimiter {
  /** Counts one enqueue for `key` under `rule` and says whether it is within the limit. */
  hit(rule: EnqueueLimitRule, key: string): Promise<EnqueueLimitDecision>;
}

/** Injection token of the {@link EnqueueLimiter}. */
export const EnqueueLimiter: unique symbol = Symbol('EnqueueLimiter');
