import { createHash, randomUUID } from 'node:crypto';
import { stableStringify } from '../utils/stable-json.js';

/** Content key for `deduplicate: true`: SHA-256 of the job name and a key-order-independent JSON of the data. */
export function contentKey(jobName: string, data: unknown): string {
  return createHash('sha256').update(jobName).update('\n').update(stableStringify(data)).digest('hex');
}

/**
 * Task id for a job. Derived from the idempotency key (so the same key names the same task) and hashed, so ids are
 * never sequential: Cloud Tasks slows down on sequential names.
 */
export function taskIdFor(jobName: string, idempotencyKey: string): string {
  return createHash('sha256').update(jobName).update('\n').update(idempotencyKey).digest('hex').slice(0, 48);
}

/** A fresh random idempotency key. */
export function randomKey(): string {
  return randomUUID();
}
