/** A claim held by the delivery that is running the job. */
export interface ProcessingRecord {
  state: 'processing';
  /** Unique id of the delivery holding the claim. */
  owner: string;
  /** Epoch ms of the claim. */
  at: number;
  /**
   * Set when the task's final delivery found the job still running elsewhere and recorded this dead letter instead of
   * waiting longer: the holder removes it if the job completes after all, and records the job dead if it fails.
   */
  deadLetterId?: string;
}

/** A completed job. */
export interface DoneRecord {
  state: 'done';
  /** The processor's result, unless it was larger than `maxResultBytes`. */
  result?: unknown;
  /** True when the result was too large to keep. */
  resultOmitted?: boolean;
  /** True when the job ended dead (permanent failure or final attempt): duplicates are answered as dead too. */
  dead?: boolean;
  /** The error of a dead job. */
  error?: string;
  /** Epoch ms of completion. */
  at: number;
}

export type IdempotencyRecord = ProcessingRecord | DoneRecord;

/**
 * Result of {@link IdempotencyStore.claim}: won (the key was free, or the record is already this owner's: a resent
 * claim), or lost with the record that holds the key (`null` if it vanished meanwhile).
 */
export type ClaimResult = { claimed: true } | { claimed: false; record: IdempotencyRecord | null };

/** Result of an owner-checked write: whether it happened, and the record found before it. */
export interface WriteResult {
  written: boolean;
  /** The record before the write (when written), or the record that prevented it (when not). */
  previous: IdempotencyRecord | null;
}

/**
 * Where idempotency records live. Every method is one atomic step on the record (a Lua script on Redis/Upstash, the
 * same semantics in memory), so concurrent deliveries of one key can never both run it, and a delivery that lost its
 * claim can never overwrite what another wrote. Keys are passed without prefix; stores add their own.
 *
 * Inject with `@InjectIdempotencyStore()`; provide your own through `idempotency.store`, and check it with the
 * contract suite of `@nest-cloud-tasks/core/testing`.
 */
export interface IdempotencyStore {
  /** Claims the key for `owner` for `leaseMs`: won when free or already `owner`'s; else the record holding it. */
  claim(key: string, owner: string, leaseMs: number): Promise<ClaimResult>;
  /** Extends `owner`'s claim to `leaseMs` from now. False when `owner` no longer holds it. */
  renew(key: string, owner: string, leaseMs: number): Promise<boolean>;
  /**
   * Records the job done (expires after `ttlSeconds`) if `owner` holds the claim or the key is free (a run whose
   * lease lapsed, or that ran without a claim). Never overwrites another owner's claim or a done record.
   */
  complete(key: string, owner: string, record: DoneRecord, ttlSeconds: number): Promise<WriteResult>;
  /** Deletes the claim if `owner` still holds it (so a retry can run); `previous` is the claim that was deleted. */
  release(key: string, owner: string): Promise<WriteResult>;
  /** Notes `deadLetterId` on a processing claim (whoever holds it); returns the record as it now is. */
  markDeadLettered(key: string, deadLetterId: string): Promise<IdempotencyRecord | null>;
  /** The current record, if any. */
  get(key: string): Promise<IdempotencyRecord | null>;
}

/** Injection token of the {@link IdempotencyStore}. */
export const IdempotencyStore: unique symbol = Symbol('IdempotencyStore');
