import { MinHeap, type HeapEntry } from './min-heap.js';
import type { VirtualClock } from './virtual.clock.js';

const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Something to do at a virtual time. */
export interface DueJob extends HeapEntry {
  run(now: number): void;
}

/**
 * One timer over a min-heap of virtual due times: every delay the emulator waits on (schedule times, backoffs,
 * dispatch deadlines, rate-limit wake-ups) is an entry here, never a timer of its own.
 */
export class DueScheduler {
  private readonly heap = new MinHeap<DueJob>();
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private closed = false;

  constructor(private readonly clock: VirtualClock) {}

  get size(): number {
    return this.heap.size;
  }

  /** Runs `run(now)` once virtual time reaches `due`. Cancel by making `run` a no-op (lazy deletion). */
  at(due: number, run: (now: number) => void): void {
    if (this.closed) return;
    this.heap.push({ due, seq: this.seq++, run });
    if (due < this.timerDue) this.arm();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
    this.heap.clear();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.heap.peek();
    if (!next || this.closed) {
      this.timerDue = Infinity;
      return;
    }
    this.timerDue = next.due;
    // NOTE: setTimeout fires at once for delays over 2^31-1 ms (24.8 days); a far timer just fires early and re-arms.
    const delay = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, Math.ceil(this.clock.toRealDelay(next.due - this.clock.now()))));
    this.timer = setTimeout(this.fire, delay);
    // NOTE: the gRPC/HTTP servers keep the process alive; the timer alone must not (clean Jest exits).
    this.timer.unref();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerDue = Infinity;
    const now = this.clock.now();
    let next = this.heap.peek();
    while (next && next.due <= now && !this.closed) {
      this.heap.pop();
      next.run(now);
      next = this.heap.peek();
    }
    if (!this.closed && this.timer === undefined) this.arm();
  };
}
