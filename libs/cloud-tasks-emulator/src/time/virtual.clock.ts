/** A source of real (wall-clock) time in milliseconds; replace it in unit tests. */
export type RealTimeSource = () => number;

const preciseNow: RealTimeSource = () => performance.timeOrigin + performance.now();

/**
 * The emulator's clock. Virtual time starts at `start` (default: equal to real time) and runs `timeScale` times
 * faster: `virtual = start + (realNow - realStart) × timeScale`. Every wait the emulator makes (schedule delay,
 * backoff, dispatch deadline, rate-limit window, cron tick) is measured in virtual time and divided by `timeScale` in
 * real time.
 */
export class VirtualClock {
  private readonly startReal: number;
  private readonly startVirtual: number;

  constructor(
    readonly timeScale = 1,
    private readonly realNow: RealTimeSource = preciseNow,
    start?: number,
  ) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new Error(`Invalid timeScale ${timeScale}: expected a positive number (1 = real time, 100 = 100× faster).`);
    }
    if (start !== undefined && !Number.isFinite(start)) throw new Error(`Invalid clock start ${start}: expected epoch milliseconds.`);
    this.startReal = realNow();
    this.startVirtual = start ?? this.startReal;
  }

  /** Virtual now, in ms since the epoch (fractional). */
  now(): number {
    return this.startVirtual + (this.realNow() - this.startReal) * this.timeScale;
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
