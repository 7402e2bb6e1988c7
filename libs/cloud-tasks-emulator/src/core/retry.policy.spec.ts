import { backoffMs, mayRetry } from './retry.policy.js';
import type { RetrySettings } from './queue-settings.interface.js';

const retry = (overrides: Partial<RetrySettings> = {}): RetrySettings => ({
  maxAttempts: 100,
  maxRetryDurationMs: 0,
  minBackoffMs: 10_000,
  maxBackoffMs: 300_000,
  maxDoublings: 3,
  ...overrides,
});

describe('backoffMs', () => {
  it('follows the documented 10s/300s/3-doublings sequence', () => {
    const seq = Array.from({ length: 10 }, (_, i) => backoffMs(retry(), i) / 1000);
    expect(seq).toEqual([10, 20, 40, 80, 160, 240, 300, 300, 300, 300]);
  });

  it('grows linearly right away with no doublings, and handles the service defaults', () => {
    expect([0, 1, 2, 3].map((i) => backoffMs(retry({ maxDoublings: 0, minBackoffMs: 1000, maxBackoffMs: 60_000 }), i))).toEqual([
      1000, 2000, 3000, 4000,
    ]);
    const defaults = retry({ minBackoffMs: 100, maxBackoffMs: 3_600_000, maxDoublings: 16 });
    expect(backoffMs(defaults, 0)).toBe(100);
    expect(backoffMs(defaults, 5)).toBe(3200);
    expect(backoffMs(defaults, 99)).toBe(3_600_000);
  });

  it('never overflows and treats a zero minimum as no wait', () => {
    expect(backoffMs(retry({ maxDoublings: 5000 }), 4000)).toBe(300_000);
    expect(backoffMs(retry({ minBackoffMs: 0 }), 3)).toBe(0);
  });
});

describe('mayRetry', () => {
  it('stops after maxAttempts when no retry duration is set', () => {
    expect(mayRetry(retry({ maxAttempts: 3 }), 2, 1e9)).toBe(true);
    expect(mayRetry(retry({ maxAttempts: 3 }), 3, 0)).toBe(false);
  });

  it('keeps retrying until both maxAttempts and maxRetryDuration are exhausted', () => {
    const r = retry({ maxAttempts: 2, maxRetryDurationMs: 60_000 });
    expect(mayRetry(r, 5, 59_999)).toBe(true);
    expect(mayRetry(r, 1, 120_000)).toBe(true);
    expect(mayRetry(r, 2, 60_000)).toBe(false);
  });

  it('treats -1 attempts as unlimited', () => {
    expect(mayRetry(retry({ maxAttempts: -1 }), 10_000, 1e12)).toBe(true);
    expect(mayRetry(retry({ maxAttempts: -1, maxRetryDurationMs: 1000 }), 10_000, 999)).toBe(true);
    expect(mayRetry(retry({ maxAttempts: -1, maxRetryDurationMs: 1000 }), 10_000, 1000)).toBe(false);
  });
});
