import { MAX_BURST_SIZE } from '../emulator.constants.js';

/** The burst size the emulator picks for a rate (the field is output-only in Cloud Tasks v2; 500/s → 100). */
export function burstSizeFor(maxDispatchesPerSecond: number): number {
  return Math.max(1, Math.min(MAX_BURST_SIZE, Math.ceil(maxDispatchesPerSecond / 5)));
}

/**
 * Per-queue dispatch rate limit on the virtual clock: a token bucket (`maxBurstSize` tokens, refilled at
 * `maxDispatchesPerSecond`) plus a sliding window so that no one-second window ever holds more than
 * `maxDispatchesPerSecond` dispatches (for rates below 1/s: at most one dispatch per `1/rate` seconds).
 */
export class RateLimiter {
  private tokens: number;
  private lastRefill = -Infinity;
  private readonly windowMs: number;
  private readonly ring: Float64Array;
  private ringNext = 0;
  private ringCount = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    const perWindow = ratePerSecond >= 1 ? Math.floor(ratePerSecond) : 1;
    this.windowMs = ratePerSecond >= 1 ? 1000 : 1000 / ratePerSecond;
    this.ring = new Float64Array(perWindow);
  }

  /** Virtual ms to wait before a dispatch is allowed at `now` (0 = allowed now). */
  waitMs(now: number): number {
    this.refill(now);
    const bucketWait = this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / this.ratePerSecond;
    let windowWait = 0;
    if (this.ringCount === this.ring.length) {
      const oldest = this.ring[this.ringNext];
      windowWait = Math.max(0, oldest + this.windowMs - now);
    }
    return Math.max(bucketWait, windowWait);
  }

  /** Records a dispatch at `now`; call only after `waitMs(now) === 0`. */
  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
    this.ring[this.ringNext] = now;
    this.ringNext = (this.ringNext + 1) % this.ring.length;
    if (this.ringCount < this.ring.length) this.ringCount++;
  }

  private refill(now: number): void {
    if (this.lastRefill === -Infinity) {
      this.lastRefill = now;
      return;
    }
    if (now > this.lastRefill) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) * this.ratePerSecond) / 1000);
      this.lastRefill = now;
    }
  }
}
