/** Options of `JobQueueService.add()`. */
export interface EnqueueOptions {
  /** Run the job this many seconds from now (0 – 30 days). Not together with `scheduleTime`. */
  delay?: number;
  /** Run the job at this time (now – 30 days ahead). Not together with `delay`. */
  scheduleTime?: Date;
  /**
   * Idempotency key of this job. The task name is derived from it, so adding the same key twice creates one task
   * (the second call resolves with `duplicate: true`), and the handler runs the job's effect once.
   */
  idempotencyKey?: string;
  /** Derive the key from the content: SHA-256 of the job name and a key-order-independent JSON of `data`. */
  deduplicate?: boolean;
  /** How long Cloud Tasks waits for the handler, in seconds (15–1800). Defaults to the queue config's, then 600. */
  dispatchDeadline?: number;
  /** Per-job attempt cap, enforced by the handler; at most the queue's `maxAttempts`. */
  maxAttempts?: number;
  /**
   * Who asked for the job, for the audit trail: a user id (`user:42`), a service (`svc:billing`). Carried in the
   * task, so the `enqueued` event and log line, the processor's `JobContext.actor`, every later lifecycle event and
   * line (started, completed, retrying, dead) and the dead letter name it. At most 128 characters of letters, digits
   * and `. _ : @ / + -`; never a credential (a JWT is refused).
   */
  actor?: string;
  /**
   * Do not count this add against the job's enqueue limit (`enqueueRateLimits`): for system jobs such as follow-ups
   * of a job that was itself limited, or operator retries.
   */
  skipRateLimit?: boolean;
}

/** What `add()` resolves with. */
export interface EnqueuedJob {
  /** Full task name: `projects/P/locations/L/queues/Q/tasks/ID`. */
  taskName: string;
  jobName: string;
  /** Queue id. */
  queue: string;
  idempotencyKey: string;
  scheduleTime?: Date;
  /** True when a task with this idempotency key already existed and no new task was created. */
  duplicate: boolean;
}

/** One item of `addBulk()`. */
export interface BulkJob<N extends string = string, T = unknown> {
  name: N;
  data: T;
  options?: EnqueueOptions;
}

/** Options of `addBulk()`. */
export interface BulkOptions {
  /** How many `createTask` calls run at once (default 10). */
  concurrency?: number;
}
