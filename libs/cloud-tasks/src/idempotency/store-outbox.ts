import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

/** One write that must reach a store eventually. */
interface PendingWrite {
  what: string;
  write: () => Promise<unknown>;
  attempts: number;
  firstAt: number;
}

const MAX_PENDING = 10_000;
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;
const GIVE_UP_AFTER_MS = 15 * 60_000;

/**
 * Writes that failed because a store did not answer (a done record after a run, a dead letter on a final attempt), retried
 * in the background with backoff until the store answers again (for up to 15 minutes, at most 10,000 pending), counted
 * and logged. What the process holds is lost if it dies: the README names this window.
 */
@Injectable()
export class StoreOutbox implements OnApplicationShutdown {
  private readonly logger = new Logger('CloudTasks');
  private readonly pending = new Set<PendingWrite>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Counters since boot. */
  readonly stats = { queued: 0, written: 0, abandoned: 0 };

  /** How many writes wait for their store. */
  get size(): number {
    return this.pending.size;
  }

  /** Retries `write` in the background until it succeeds. */
  defer(what: string, write: () => Promise<unknown>): void {
    if (this.pending.size >= MAX_PENDING) {
      this.stats.abandoned++;
      this.logger.error({ msg: 'store outbox full: a write is abandoned (data lost)', what, pending: this.pending.size });
      return;
    }
    const item: PendingWrite = { what, write, attempts: 0, firstAt: Date.now() };
    this.pending.add(item);
    this.stats.queued++;
    this.logger.warn({ msg: 'store unreachable: retrying the write in the background', what, pending: this.pending.size });
    this.retryLater(item);
  }

  /** Waits until nothing is pending or `timeoutMs` passed; resolves how many writes are still pending. */
  async drain(timeoutMs: number): Promise<number> {
    const until = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.pending.size;
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.pending.size) this.logger.error({ msg: 'shutting down with store writes still pending (lost)', writes: [...this.pending].map((p) => p.what) });
  }

  private retryLater(item: PendingWrite): void {
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** item.attempts);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(item);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private async attempt(item: PendingWrite): Promise<void> {
    item.attempts++;
    try {
      await item.write();
      this.pending.delete(item);
      this.stats.written++;
      this.logger.log({ msg: 'deferred store write done', what: item.what, attempts: item.attempts });
    } catch (error) {
      if (Date.now() - item.firstAt > GIVE_UP_AFTER_MS) {
        this.pending.delete(item);
        this.stats.abandoned++;
        this.logger.error({ msg: 'gave up a deferred store write (data lost)', what: item.what, attempts: item.attempts, error: (error as Error).message });
        return;
      }
      this.retryLater(item);
    }
  }
}
