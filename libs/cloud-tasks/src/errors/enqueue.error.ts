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

/** `createTask` failed for good (after retrying transient errors). `cause` holds the gRPC error. */
export class EnqueueError extends Error {
  override readonly name = 'EnqueueError';
  constructor(
    message: string,
    readonly jobName: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
