/** A job that will not be retried any more, kept for an operator to inspect, retry or discard. */
export interface DeadLetterRecord {
  id: string;
  jobName: string;
  /** Queue id. */
  queue: string;
  /** Short task id. */
  taskName: string;
  idempotencyKey: string;
  /** The payload with sensitive-looking keys masked (what the CLI and logs show). */
  data: unknown;
  /** The original payload, kept so that `retry()` re-enqueues the job as it was. Not shown by the CLI. */
  payload: unknown;
  /** Per-job attempt cap the job was enqueued with, if any (re-applied by `retry()`). */
  maxAttempts?: number;
  /** Who enqueued the job (`add()`'s `actor`), when given (kept by `retry()`). */
  actor?: string;
  /** Why it died. */
  error: string;
  /** `'permanent'` (PermanentError, invalid payload, per-job cap) or `'exhausted'` (retryable, final attempt). */
  reason: 'permanent' | 'exhausted';
  /** Attempts made (retryCount + 1). */
  attempts: number;
  /** ISO-8601. */
  failedAt: string;
  /** Set by `DeadLetterService.retry()`. */
  retriedAt?: string;
  /** Task name of the re-enqueued job. */
  retriedAs?: string;
}

/** A dead letter as `DeadLetterService` shows it: the masked `data`, without the raw payload. */
export type DeadLetterView = Omit<DeadLetterRecord, 'payload'>;

/** A page of {@link DeadLetterView}s. */
export interface DeadLetterViewPage {
  items: DeadLetterView[];
  nextCursor?: string;
}

export interface DeadLetterListOptions {
  jobName?: string;
  /** Default 50. */
  limit?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

export interface DeadLetterPage {
  items: DeadLetterRecord[];
  /** Present when there are more. */
  nextCursor?: string;
}

/** Where dead letters live (Upstash by default when configured, memory otherwise). Newest first. */
export interface DeadLetterStore {
  save(record: DeadLetterRecord): Promise<void>;
  list(options: DeadLetterListOptions): Promise<DeadLetterPage>;
  get(id: string): Promise<DeadLetterRecord | null>;
  /** Replace a record (used to note a retry). */
  update(record: DeadLetterRecord): Promise<void>;
  /** Resolves true when the record existed. */
  delete(id: string): Promise<boolean>;
}

/** Injection token of the {@link DeadLetterStore}. */
export const DeadLetterStore: unique symbol = Symbol('DeadLetterStore');
