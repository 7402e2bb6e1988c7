import { between, unitHash } from '../lib/random.js';

/** What the processor of one job type does on each attempt. */
export interface ProcessorBehaviour {
  /** Real milliseconds an ordinary attempt works, drawn per (seq, attempt) from [min, max]. */
  workMs: [number, number];
  /** Jobs whose `seq % every === 0` fail their first `attempts` attempts quickly with a `RetryableError`. */
  failFirst?: { every: number; attempts: number };
  /**
   * The first `attempts` attempts of every job are slow: they work `ms` (longer than the dispatch deadline), cut short
   * by `job.signal` when `honourSignal`, and then end as `then` says (`alternate`: even seq succeed, odd seq fail).
   */
  slow?: { attempts: number; ms: number; honourSignal: boolean; then: 'succeed' | 'fail' | 'fail-permanently' | 'alternate' };
}

/** What one attempt will do. */
export interface AttemptPlan {
  workMs: number;
  /** Abort the work when `job.signal` fires (and throw its reason). */
  honourSignal: boolean;
  /** `succeed` writes the effect; the others throw a RetryableError / PermanentError without an effect. */
  outcome: 'succeed' | 'retryable' | 'permanent';
}

/** Decides an attempt from the behaviour, the job's seq and the 1-based attempt number: the same on every instance. */
export function planAttempt(behaviour: ProcessorBehaviour, seq: number, attempt: number, seed: number): AttemptPlan {
  const workMs = between(behaviour.workMs, unitHash(seed, seq, attempt));
  const slow = behaviour.slow;
  if (slow && attempt <= slow.attempts) {
    const outcome = slow.then === 'alternate' ? (seq % 2 === 0 ? 'succeed' : 'retryable') : slow.then === 'succeed' ? 'succeed' : slow.then === 'fail' ? 'retryable' : 'permanent';
    return { workMs: slow.ms, honourSignal: slow.honourSignal, outcome };
  }
  const fail = behaviour.failFirst;
  if (fail && seq % fail.every === 0 && attempt <= fail.attempts) return { workMs: Math.min(workMs, 20), honourSignal: true, outcome: 'retryable' };
  return { workMs, honourSignal: true, outcome: 'succeed' };
}
