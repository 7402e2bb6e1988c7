import { VirtualClock } from './virtual.clock.js';

describe('VirtualClock', () => {
  it('runs timeScale times faster than the real clock from a common start', () => {
    let real = 1_000_000;
    const clock = new VirtualClock(100, () => real);
    expect(clock.now()).toBe(1_000_000);
    real += 30;
    expect(clock.now()).toBe(1_003_000);
    expect(clock.real()).toBe(1_000_030);
  });

  it('scales waits down and maps client wall-clock instants onto the virtual clock', () => {
    let real = 5_000;
    const clock = new VirtualClock(10, () => real);
    real += 100; // virtual is now 6_000
    expect(clock.toRealDelay(300_000)).toBe(30_000);
    expect(clock.fromWallClock(real + 60_000)).toBe(6_000 + 60_000);
  });

  it('rejects a non-positive time scale', () => {
    expect(() => new VirtualClock(0)).toThrow(/Invalid timeScale 0/);
  });
});
