import { Injectable } from '@nestjs/common';

/** The domain's notion of "now": real time by default, frozen or moved on by tests and the demo. */
@Injectable()
export class ClockService {
  private frozenAt?: number;
  private offsetMs = 0;

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  /** Stops the clock at `at` (default: the current time) so results can be compared exactly. */
  freeze(at: Date = this.now()): void {
    this.frozenAt = at.getTime();
  }

  /** Moves the clock forward (frozen or not), e.g. to let tokens or webhook channels expire. */
  advance(ms: number): void {
    if (this.frozenAt === undefined) this.offsetMs += ms;
    else this.frozenAt += ms;
  }
}
