import type { EffectEvent } from '../app/chaos-app.config.js';

/** A job the producer sent: its sequence number, job type and idempotency key. */
export interface SentJob {
  seq: number;
  jobName: string;
  key: string;
}

/** An app instance killed with `kill -9`. */
export interface KillEvent {
  instance: string;
  pid: number;
  at: number;
}

/** The part of a dead letter the accounting needs. */
export interface DeadLetterSummary {
  idempotencyKey: string;
  jobName: string;
  reason: string;
  /** Attempts made when it died (retryCount + 1 of the delivery that recorded it). */
  attempts: number;
}

/** Everything observed at the end of a scenario, for one group of jobs. */
export interface Observations {
  jobs: readonly SentJob[];
  /** seq → how many times the effect happened. */
  effects: ReadonlyMap<number, number>;
  /** Every effect, with the instance and process that made it. */
  effectLog: readonly EffectEvent[];
  kills: readonly KillEvent[];
  deadLetters: readonly DeadLetterSummary[];
  /** Jobs that ran again when a recorded delivery was replayed after the end (see the probe); undefined = no probe. */
  unprotected?: number;
}

/** What a scenario promises about jobs that run twice. */
export type RunTwicePolicy = 'target' | 'reported';

/** One row of the fault table. */
export interface Tally {
  sent: number;
  completed: number;
  lost: number;
  lostWithoutDeadLetter: number;
  runTwice: number;
  /** Of `runTwice`: jobs whose first effect was made by a process killed within `killWindowMs` after it. */
  runTwiceAfterKill: number;
  deadLetters: number;
  /** Dead letters of jobs whose effect happened. */
  falseDeadLetters: number;
  unprotected?: number;
}

/** How long after an effect a `kill -9` can still have stopped the process from recording it (claim completion). */
export const DEFAULT_KILL_WINDOW_MS = 2_000;

/** Counts a group's outcome: completed = effect at least once, lost = never, run twice = more than once. */
export function tally(observed: Observations, killWindowMs = DEFAULT_KILL_WINDOW_MS): Tally {
  const seqByKey = new Map(observed.jobs.map((job) => [job.key, job.seq]));
  const deadBySeq = new Map<number, number>();
  let deadLetters = 0;
  for (const letter of observed.deadLetters) {
    const seq = seqByKey.get(letter.idempotencyKey);
    if (seq === undefined) continue;
    deadLetters++;
    deadBySeq.set(seq, (deadBySeq.get(seq) ?? 0) + 1);
  }
  const firstEffect = new Map<number, EffectEvent>();
  for (const event of observed.effectLog) {
    const first = firstEffect.get(event.seq);
    if (!first || event.at < first.at) firstEffect.set(event.seq, event);
  }
  let completed = 0;
  let lostWithoutDeadLetter = 0;
  let runTwice = 0;
  let runTwiceAfterKill = 0;
  let falseDeadLetters = 0;
  for (const job of observed.jobs) {
    const count = observed.effects.get(job.seq) ?? 0;
    const dead = deadBySeq.get(job.seq) ?? 0;
    if (count === 0) {
      if (dead === 0) lostWithoutDeadLetter++;
      continue;
    }
    completed++;
    falseDeadLetters += dead;
    if (count > 1) {
      runTwice++;
      const first = firstEffect.get(job.seq);
      if (first && observed.kills.some((k) => k.instance === first.instance && k.pid === first.pid && k.at >= first.at && k.at - first.at <= killWindowMs)) runTwiceAfterKill++;
    }
  }
  const sent = observed.jobs.length;
  return {
    sent,
    completed,
    lost: sent - completed,
    lostWithoutDeadLetter,
    runTwice,
    runTwiceAfterKill,
    deadLetters,
    falseDeadLetters,
    unprotected: observed.unprotected,
  };
}

/** The targets a tally misses, in words (empty = all met). */
export function violations(t: Tally, runTwice: RunTwicePolicy): string[] {
  const out: string[] = [];
  if (t.lostWithoutDeadLetter > 0) out.push(`${t.lostWithoutDeadLetter} lost without a dead letter`);
  if (t.falseDeadLetters > 0) out.push(`${t.falseDeadLetters} false dead letters`);
  if (runTwice === 'target' && t.runTwice > 0) out.push(`${t.runTwice} run twice without a kill -9`);
  if (runTwice === 'target' && (t.unprotected ?? 0) > 0) out.push(`${t.unprotected} completed jobs left unprotected without a kill -9 (a late duplicate runs them again)`);
  return out;
}

/** Effects counted for seqs no sent job has: a harness or key-mapping fault, never the library's. */
export function strayEffects(effects: ReadonlyMap<number, number>, jobs: readonly SentJob[]): number {
  const sent = new Set(jobs.map((job) => job.seq));
  let stray = 0;
  for (const [seq, count] of effects) if (!sent.has(seq)) stray += count;
  return stray;
}
