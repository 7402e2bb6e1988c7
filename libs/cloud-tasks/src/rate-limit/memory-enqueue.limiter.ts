import { systemClock, type Clock } from '../utils/clock.js';
import type { EnqueueLimitDecision, EnqueueLimiter, EnqueueLimitRule } from './enqueue-limiter.interface.js';

/** Options of {@link MemoryEnqueueLimiter}. */
export interface MemoryEnqueueLimiterOptions {
  /** Most keys counted at once (default 100,000); beyond it the counts of ended windows go first, then the oldest. */
  maxKeys?: number;
  clock?: Clock;
}

/**
 * {@link EnqueueLimiter} in this process's memory, with the same fixed windows as the Upstash limiter: window `n` of
 * a rule covers `[n·windowMs, (n+1)·windowMs)` on the clock, every hit counts (refused ones too), and a hit is allowed
 * while the count is at most the limit. Per instance: for local mode and single-instance deployments.
 */
export class MemoryEnqueueLimiter implements EnqueueLimiter {
  private readonly counts = new Map<string, { count: number; resetAt: number }>();
  private readonly maxKeys: number;
  private readonly clock: Clock;

  constructor({ maxKeys = 100_000, clock = systemClock }: MemoryEnqueueLimiterOptions = {}) {
    this.maxKeys = maxKeys;
    this.clock = clock;
  }

  async hit(rule: EnqueueLimitRule, key: string): Promise<EnqueueLimitDecision> {
    const now = this.clock.now();
    const window = Math.floor(now / rule.windowMs);
    const resetAt = (window + 1) * rule.windowMs;
    const id = `${rule.jobName}:${rule.windowMs}:${key}`;
    let entry = this.counts.get(id);
    if (!entry || entry.resetAt !== resetAt) {
      this.counts.delete(id);
      this.makeRoom(now);
      entry = { count: 0, resetAt };
      this.counts.set(id, entry);
    }
    entry.count++;
    return { allowed: entry.count <= rule.limit, remaining: Math.max(0, rule.limit - entry.count), resetAt };
  }

  /** Keys counted now (for tests and metrics). */
  get size(): number {
    return this.counts.size;
  }

  private makeRoom(now: number): void {
    if (this.counts.size < this.maxKeys) return;
    for (const [id, entry] of this.counts) if (entry.resetAt <= now) this.counts.delete(id);
    // NOTE: insertion order is window-start order: the oldest windows are forgotten first.
    for (const id of this.counts.keys()) {
      if (this.counts.size < this.maxKeys) break;
      this.counts.delete(id);
    }
  }
}
