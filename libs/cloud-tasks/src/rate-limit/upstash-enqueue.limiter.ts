import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import { EnqueueLimiterUnavailableError } from '../errors/enqueue-limiter-unavailable.error.js';
import type { EnqueueLimitDecision, EnqueueLimiter, EnqueueLimitRule } from './enqueue-limiter.interface.js';

/** Options of {@link UpstashEnqueueLimiter}. */
export interface UpstashEnqueueLimiterOptions {
  /** Prepended to every key (default `enqueue-limit`): keys are `{prefix}:{jobName}:{key}:{window number}`. */
  prefix?: string;
  /** How long a hit may wait for Upstash before it counts as unreachable, in ms (default 1,000). */
  timeoutMs?: number;
  /** Keys remembered as over their limit until their window ends, answered without a command (default 10,000). */
  maxBlockedKeys?: number;
}

/**
 * The ephemeral cache `@upstash/ratelimit` keeps of keys over their limit (key → end of their window, epoch ms), which
 * forgets its oldest entries beyond `max` instead of growing with every key that was ever refused.
 */
class BlockedKeys extends Map<string, number> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: string, resetAt: number): this {
    if (!this.has(key) && this.size >= this.max) this.delete(this.keys().next().value as string);
    // NOTE: the library blocks while the stored time is not before now, one ms into the next window: store the window's
    // last ms, so the block ends exactly when the window does (as retryAfter says, and as the memory limiter does).
    return super.set(key, resetAt - 1);
  }
}

/**
 * {@link EnqueueLimiter} on Upstash through `@upstash/ratelimit`'s fixed window, on the module's `@upstash/redis`
 * client: one `EVALSHA` per hit (`INCRBY`, plus `PEXPIRE` on a window's first hit), so every instance shares the
 * count. A key refused once is then refused in this process without a command until its window ends (the library's
 * ephemeral cache, bounded here).
 */
export class UpstashEnqueueLimiter implements EnqueueLimiter {
  private readonly limiters = new Map<string, Ratelimit>();
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly maxBlockedKeys: number;

  constructor(
    private readonly redis: Redis,
    { prefix = 'enqueue-limit', timeoutMs = 1_000, maxBlockedKeys = 10_000 }: UpstashEnqueueLimiterOptions = {},
  ) {
    this.prefix = prefix;
    this.timeoutMs = timeoutMs;
    this.maxBlockedKeys = maxBlockedKeys;
  }

  async hit(rule: EnqueueLimitRule, key: string): Promise<EnqueueLimitDecision> {
    let response: Awaited<ReturnType<Ratelimit['limit']>>;
    try {
      response = await this.limiterFor(rule).limit(key);
    } catch (error) {
      throw new EnqueueLimiterUnavailableError(`the limit store did not answer: ${(error as Error).message}`, { cause: error });
    }
    // NOTE: on a timeout the library resolves success; here it is an unreachable store, for failMode to decide.
    if (response.reason === 'timeout') throw new EnqueueLimiterUnavailableError(`the limit store did not answer within ${this.timeoutMs} ms`);
    // NOTE: a refusal from the cache answers the time the cache holds: the window's last ms (see BlockedKeys).
    const resetAt = response.reason === 'cacheBlock' ? response.reset + 1 : response.reset;
    return { allowed: response.success, remaining: response.remaining, resetAt };
  }

  private limiterFor(rule: EnqueueLimitRule): Ratelimit {
    const id = `${rule.jobName}:${rule.limit}:${rule.windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.fixedWindow(rule.limit, `${rule.windowMs} ms`),
        prefix: `${this.prefix}:${rule.jobName}`,
        timeout: this.timeoutMs,
        ephemeralCache: new BlockedKeys(this.maxBlockedKeys),
        analytics: false,
        enableTelemetry: false,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
