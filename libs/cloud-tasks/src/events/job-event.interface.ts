/** Lifecycle of a job, as seen by this service. */
export type JobEventType =
  | 'enqueued'
  | 'enqueue-duplicate'
  | 'started'
  | 'completed'
  | 'duplicate'
  | 'retrying'
  | 'dead';

/** One lifecycle event. Payload values are never included. */
export interface JobEvent {
  type: JobEventType;
  jobName: string;
  queue: string;
  taskName: string;
  idempotencyKey: string;
  /** retryCount + 1, on delivery events. */
  attempt?: number;
  /** Processing time in ms, on completed/retrying/dead. */
  durationMs?: number;
  /** Error message (redacted), on retrying/dead. */
  error?: string;
  /** `X-Cloud-Trace-Context` trace id, when present. */
  trace?: string;
  /** Who enqueued the job (`add()`'s `actor`), when given. */
  actor?: string;
  /** ISO-8601 time the task is scheduled for, on enqueued/enqueue-duplicate when it was delayed. */
  scheduleTime?: string;
}

export type JobEventListener = (event: JobEvent) => void;
