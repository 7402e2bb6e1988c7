/** A claim held by the delivery that is running the job. */
export interface ProcessingRecord {
  state: 'processing';
  /** Unique id of the delivery holding the claim. */
  owner: string;
  /** Epoch ms of the claim. */
  at: number;
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

/** Result of {@link IdempotencyStore.claim}: won, or lost with the record that holds the key. */
export type ClaimResult = { claimed: true } | { claimed: false; record: IdempotencyRecord | null };

/**
 * Where idempotency records live. Implementations must make `claim` atomic (one winner among concurrent callers)
 * and `release` a compare-and-delete. Keys are passed without prefix; stores add `idempotency:`.
 *
 * Inject with `@InjectIdempotencyStore()`; provide your own through `idempotency.store`.
 */
export interface IdempotencyStore {
  /** `SET idempotency:{key} processing NX PX leaseMs`; on a lost claim, the current record. */
  claim(key: string, owner: string, leaseMs: number): Promise<ClaimResult>;
  /** Record the job as done (one write, expires after `ttlSeconds`). */
  complete(key: string, record: DoneRecord, ttlSeconds: number): Promise<void>;
  /** Delete the claim only if `owner` still holds it. Resolves true when it did. */
  release(key: string, owner: string): Promise<boolean>;
  /** The current record, if any. */
  get(key: string): Promise<IdempotencyRecord | null>;
}

/** Injection token of the {@link IdempotencyStore}. */
export const IdempotencyStore: unique symbol = Symbol('IdempotencyStore');
