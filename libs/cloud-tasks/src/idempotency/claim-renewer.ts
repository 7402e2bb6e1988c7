import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectIdempotencyStore } from '../cloud-tasks.tokens.js';
import type { JobDelivery } from '../delivery/job-delivery.js';
import type { IdempotencyStore } from './idempotency-store.interface.js';
import { JobTelemetry } from '../telemetry/job-telemetry.js';

interface HeldClaim {
  key: string;
  owner: string;
  leaseMs: number;
  renewedAt: number;
  delivery: JobDelivery;
  failures: number;
}

/**
 * Keeps the claims of running jobs alive: one timer for all of them, which renews every claim older than a third of
 * its lease (so a job shorter than that costs no command), and aborts a job's `signal` when its renewal finds the claim
 * lost. A crashed process renews nothing, so its claims lapse within one lease.
 */
@Injectable()
export class ClaimRenewer implements OnApplicationShutdown {
  private readonly logger = new Logger('CloudTasks');
  private readonly held = new Set<HeldClaim>();
  private timer?: NodeJS.Timeout;
  private tickMs = 0;

  private readonly store: IdempotencyStore;

  constructor(@InjectIdempotencyStore() store: IdempotencyStore, telemetry: JobTelemetry) {
    this.store = telemetry.instrumentStore(store);
  }

  /** Renews `owner`'s claim of `key` (real `leaseMs`) until the returned function is called. */
  hold(key: string, owner: string, leaseMs: number, delivery: JobDelivery): () => void {
    const claim: HeldClaim = { key, owner, leaseMs, renewedAt: Date.now(), delivery, failures: 0 };
    this.held.add(claim);
    this.schedule(leaseMs / 3);
    // NOTE: the timer outlives the job and stops at its first idle tick, so a stream of short jobs does not create and
    // clear an interval per job.
    return () => {
      this.held.delete(claim);
    };
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  private schedule(everyMs: number): void {
    if (this.timer && everyMs >= this.tickMs) return;
    this.stop();
    this.tickMs = Math.max(10, everyMs);
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.tickMs = 0;
  }

  private async tick(): Promise<void> {
    if (this.held.size === 0) {
      this.stop();
      return;
    }
    const now = Date.now();
    await Promise.all(
      [...this.held].filter((claim) => now - claim.renewedAt >= claim.leaseMs / 3).map((claim) => this.renew(claim)),
    );
  }

  private async renew(claim: HeldClaim): Promise<void> {
    try {
      const held = await this.store.renew(claim.key, claim.owner, claim.leaseMs);
      if (!this.held.has(claim)) return;
      if (held) {
        claim.renewedAt = Date.now();
        claim.failures = 0;
        return;
      }
      this.held.delete(claim);
      this.logger.warn({ msg: 'claim lost while the job runs (its lease lapsed): aborting job.signal; its outcome will not be recorded', key: claim.key });
      claim.delivery.abort(new Error('The idempotency claim of this delivery was lost; another delivery may run the job'));
    } catch (error) {
      if (claim.failures++ === 0) this.logger.warn({ msg: 'could not renew a claim (idempotency store unreachable); retrying', key: claim.key, error: (error as Error).message });
    }
  }
}
