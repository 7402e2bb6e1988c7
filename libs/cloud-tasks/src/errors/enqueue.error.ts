/** `add()` refused a job before any network call (unknown job, bad schedule, too large, not JSON…). */
export class EnqueueValidationError extends Error {
  override readonly name = 'EnqueueValidationError';
  constructor(
    message: string,
    readonly jobName: string,
  ) {
    super(message);
  }
}

/** What an {@link EnqueueError} knows of the task it could not confirm. */
export interface EnqueueFailure {
  jobName: string;
  /** The job's idempotency key (generated when none was given): re-adding the job with it can never create a second task. */
  idempotencyKey: string;
  /** Full task name the job was given. */
  taskName: string;
  /**
   * False when Cloud Tasks certainly did not create the task (it refused it). True when the outcome is unknown (the
   * call timed out or the connection failed and Cloud Tasks could not be asked afterwards): the task may exist and run.
   * Either way, re-adding with `idempotencyKey` is safe: an existing task answers as a duplicate.
   */
  taskMayExist: boolean;
}

/**
 * `createTask` failed for good (after retrying transient errors, and asking Cloud Tasks whether an ambiguous call
 * created the task after all). `cause` holds the gRPC error. Re-add with `{ idempotencyKey: error.idempotencyKey }`.
 */
export class EnqueueError extends Error implements EnqueueFailure {
  override readonly name = 'EnqueueError';
  readonly jobName: string;
  readonly idempotencyKey: string;
  readonly taskName: string;
  readonly taskMayExist: boolean;

  constructor(message: string, failure: EnqueueFailure, options?: { cause?: unknown }) {
    super(message, options);
    this.jobName = failure.jobName;
    this.idempotencyKey = failure.idempotencyKey;
    this.taskName = failure.taskName;
    this.taskMayExist = failure.taskMayExist;
  }
}
