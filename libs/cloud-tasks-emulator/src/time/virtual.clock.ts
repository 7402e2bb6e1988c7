/** A source of real (wall-clock) time in milliseconds; replace it in unit tests. */
export type RealTimeSource = () => number;

const preciseNow: RealTimeSource = () => performance.timeOrigin + performance.now();

/**
 * The emulator's clock. Virtual time starts equal to real time and runs `timeScale` times faster:
 * `virtual = start + (realNow - start) × timeScale`. Every wait the emulator makes (schedule delay, backoff,
 * dispatch deadline, rate-limit window) is measured in virtual time and divided by `timeScale` in real time.
 */
export class VirtualClock {
  private readonly startReal: number;

  constructor(
    readonly timeScale = 1,
    private readonly realNow: RealTimeSource = preciseNow,
  ) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new Error(`Invalid timeScale ${timeScale}: expected a positive number (1 = real time, 100 = 100× faster).`);
    }
    this.startReal = realNow();
  }

  /** Virtual now, in ms since the epoch (fractional). */
  now(): number {
    return this.startReal + (this.realNow() - this.startReal) * this.timeScale;
  }

  /** Real (wall-clock) now, in ms since the epoch. */
  real(): number {
    return this.realNow();
  }

  /** Real milliseconds to wait for `virtualMs` of virtual time to pass. */
  toRealDelay(virtualMs: number): number {
    return virtualMs / this.timeScale;
  }

  /**
   * Converts a wall-clock instant given by a client (e.g. a task's schedule_time) to virtual time: an instant `d` ms
   * from real now becomes `d` ms from virtual now, so the wait is scaled like every other wait.
   */
  fromWallClock(wallMs: number): number {
    return this.now() + (wallMs - this.realNow());
  }
}
