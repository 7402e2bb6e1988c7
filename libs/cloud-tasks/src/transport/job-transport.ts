import type { JobEnvelope } from '../interfaces/job.interface.js';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';

/** Where a job goes: Cloud Tasks (default), in-process (tests and quick local runs), or BullMQ (migrating from it). */
export type TransportName = 'cloud-tasks' | 'inline' | 'bullmq';

export const TRANSPORT_NAMES: readonly TransportName[] = ['cloud-tasks', 'inline', 'bullmq'];

/** A job `add()` checked and built, ready for its transport. */
export interface PreparedJob {
  jobName: string;
  queue: QueueConfig;
  envelope: JobEnvelope;
  /** The envelope as JSON bytes: what every transport delivers. */
  body: Buffer;
  /** Headers of the task (content type, signature). */
  headers: Record<string, string>;
  idempotencyKey: string;
  /** The job's id within its queue (derived from the job name and idempotency key: never sequential). */
  taskId: string;
  /** `projects/P/locations/L/queues/Q/tasks/{taskId}`. */
  taskName: string;
  scheduleTime?: Date;
  /** The delivery URL of the job endpoint (Cloud Tasks). */
  url: string;
}

/** What sending a job did. */
export interface SentJob {
  /** True when a job with this task id already existed and nothing new was created. */
  duplicate: boolean;
}

/** One way of getting jobs to their processors. Every transport delivers through the same pipeline. */
export interface JobTransport {
  readonly name: TransportName;
  send(job: PreparedJob): Promise<SentJob>;
}
