import { RateLimiter, burstSizeFor } from './rate.limiter.js';

/** Drives the limiter greedily: dispatch as soon as allowed, `count` times, returning the dispatch times. */
function run(limiter: RateLimiter, count: number, start = 0): number[] {
  const times: number[] = [];
  let now = start;
  while (times.length < count) {
    const wait = limiter.waitMs(now);
    if (wait > 0) {
      now += wait;
      continue;
    }
    limiter.take(now);
    times.push(now);
  }
  return times;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('RateLimiter', () => {
  it('never allows more than the rate in any one-second window, even with a burst', () => {
    const times = run(new RateLimiter(5, 5), 50);
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(5);
    // and it does not go slower than the rate over the run
    expect(times[49] - times[0]).toBeLessThanOrEqual(10_000);
  });

  it('lets a burst out at once, then refills at the rate', () => {
    const times = run(new RateLimiter(500, 100), 300);
    expect(times.slice(0, 100).every((t) => t === 0)).toBe(true);
    expect(times[100]).toBeCloseTo(2, 5);
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(500);
  });

  it('spaces dispatches 1/rate apart below one per second', () => {
    const times = run(new RateLimiter(0.5, 1), 4);
    expect(times).toEqual([0, 2000, 4000, 6000]);
  });

  it('picks 100 as the burst of the default 500/s queue', () => {
    expect(burstSizeFor(500)).toBe(100);
    expect(burstSizeFor(5)).toBe(1);
    expect(burstSizeFor(0.1)).toBe(1);
  });
});
