import type { JobEvent } from '../events/job-event.interface.js';
import type { Clock } from '../utils/clock.js';
import { MAX_ERROR_CHARS } from './dashboard.constants.js';

/** How a delivery of this instance ended. */
export type DeliveryOutcome = 'completed' | 'duplicate' | 'retried' | 'dead';

/** One delivery, as the dashboard lists it (no payload, no idempotency key). */
export interface DeliveryEntry {
  at: number;
  jobName: string;
  queue: string;
  taskName: string;
  outcome: DeliveryOutcome;
  attempt?: number;
  durationMs?: number;
  /** The error (already redacted by the job runner), shortened. */
  error?: string;
}

/** Per-job figures since this instance started. */
export interface JobStats {
  jobName: string;
  completed: number;
  duplicate: number;
  retried: number;
  dead: number;
  /** completed / (completed + retried + dead); undefined before any run. */
  successRate?: number;
  /** p95 of the processing durations of the last `statsWindow` runs, in ms. */
  p95Ms?: number;
  /** How many durations the p95 is over. */
  samples: number;
}

const OUTCOME: Partial<Record<JobEvent['type'], DeliveryOutcome>> = {
  completed: 'completed',
  duplicate: 'duplicate',
  retrying: 'retried',
  dead: 'dead',
};

interface Tally {
  counts: Record<DeliveryOutcome, number>;
  durations: number[];
  next: number;
}

/**
 * The recent deliveries of this instance (a ring buffer of `size` entries) and per-job counts and durations (a ring of
 * `window` durations per job), fed by the job event bus. Memory is bounded whatever the traffic.
 */
export class DeliveryHistory {
  private readonly ring: DeliveryEntry[] = [];
  private next = 0;
  private readonly tallies = new Map<string, Tally>();

  constructor(
    private readonly size: number,
    private readonly window: number,
    private readonly clock: Clock,
  ) {}

  /** Records one job event; events other than a delivery's end are ignored. */
  record(event: JobEvent): void {
    const outcome = OUTCOME[event.type];
    if (!outcome) return;
    const entry: DeliveryEntry = { at: this.clock.now(), jobName: event.jobName, queue: event.queue, taskName: event.taskName, outcome };
    if (event.attempt !== undefined) entry.attempt = event.attempt;
    if (event.durationMs !== undefined) entry.durationMs = event.durationMs;
    if (event.error !== undefined) entry.error = event.error.length > MAX_ERROR_CHARS ? `${event.error.slice(0, MAX_ERROR_CHARS)}…` : event.error;
    if (this.ring.length < this.size) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.size;
    this.tally(event.jobName, outcome, event.durationMs);
  }

  /** Newest first. */
  recent(limit = this.size): DeliveryEntry[] {
    const out: DeliveryEntry[] = [];
    for (let i = 1; i <= Math.min(limit, this.ring.length); i++) out.push(this.ring[(this.next - i + this.ring.length) % this.ring.length]);
    return out;
  }

  /** Figures of each job in `jobNames` (those never delivered included), in that order. */
  stats(jobNames: readonly string[]): JobStats[] {
    return jobNames.map((jobName) => {
      const tally = this.tallies.get(jobName);
      const counts = tally?.counts ?? { completed: 0, duplicate: 0, retried: 0, dead: 0 };
      const runs = counts.completed + counts.retried + counts.dead;
      const stats: JobStats = { jobName, ...counts, samples: tally?.durations.length ?? 0 };
      if (runs > 0) stats.successRate = counts.completed / runs;
      if (tally?.durations.length) stats.p95Ms = percentile(tally.durations, 0.95);
      return stats;
    });
  }

  private tally(jobName: string, outcome: DeliveryOutcome, durationMs: number | undefined): void {
    let tally = this.tallies.get(jobName);
    if (!tally) this.tallies.set(jobName, (tally = { counts: { completed: 0, duplicate: 0, retried: 0, dead: 0 }, durations: [], next: 0 }));
    tally.counts[outcome]++;
    if (durationMs === undefined || outcome === 'duplicate') return;
    if (tally.durations.length < this.window) tally.durations.push(durationMs);
    else tally.durations[tally.next] = durationMs;
    tally.next = (tally.next + 1) % this.window;
  }
}

/** Nearest-rank percentile of `values` (not modified). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
