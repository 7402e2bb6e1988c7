import type { AttemptStatus } from '../attempts/attempt-record.interface.js';
import type { QueueState } from '../core/queue.record.js';
import type { QueueSettings } from '../core/queue-settings.interface.js';
import type { TaskRecord } from '../core/task.record.js';
import type { JobState } from '../scheduler/job.record.js';

/** A queue as kept on disk (its dispatch state is rebuilt at start). */
export interface PersistedQueue {
  name: string;
  settings: QueueSettings;
  state: QueueState;
  purgeTime?: number;
}

/** A task as kept on disk: the record without its runtime fields, the body as base64. Times are virtual epoch ms. */
export type PersistedTask = Omit<TaskRecord, 'queue' | 'body' | 'phase' | 'gen' | 'running'> & { queue: string; body?: string };

/** An IAM policy as kept on disk (etag as base64). */
export interface PersistedPolicy {
  version?: number;
  bindings?: unknown[];
  auditConfigs?: unknown[];
  etag?: string;
}

/** A scheduler job as kept on disk: the client's fields (JSON-safe, body as base64) and what the schedule reached. */
export interface PersistedJob {
  name: string;
  source: Record<string, unknown>;
  state: JobState;
  userUpdateTime: number;
  cursor: number;
  lastAttemptTime?: number;
  lastStatus?: { status: AttemptStatus; error?: string };
}

/** One line of the journal; `t` is the emulator clock when it was written. */
export type JournalOp =
  | { op: 'queue'; t: number; queue: PersistedQueue }
  | { op: 'queue.del'; t: number; name: string }
  | { op: 'queue.purge'; t: number; name: string; freeNames: boolean }
  | { op: 'task'; t: number; task: PersistedTask }
  | { op: 'task.del'; t: number; name: string }
  | { op: 'iam'; t: number; resource: string; policy: PersistedPolicy }
  | { op: 'job'; t: number; job: PersistedJob }
  | { op: 'job.del'; t: number; name: string }
  | { op: 'reset'; t: number; keepQueues: boolean; keepJobs: boolean }
  | { op: 'clock'; t: number };

/** Everything the emulator keeps across a restart. Tombstones are the virtual times the names were freed at. */
export interface StateImage {
  /** The latest emulator time written: the clock resumes from there (never earlier). */
  clock: number;
  queues: Map<string, PersistedQueue>;
  tasks: Map<string, PersistedTask>;
  taskTombstones: Map<string, number>;
  deletedQueues: Map<string, number>;
  iam: Map<string, PersistedPolicy>;
  jobs: Map<string, PersistedJob>;
}

/** The parts of the state the task engine holds. */
export type TaskEngineState = Pick<StateImage, 'queues' | 'tasks' | 'taskTombstones' | 'deletedQueues' | 'iam'>;

/** Where the engines report every change that must survive a restart (the journal); absent when nothing persists. */
export interface StateSink {
  queueChanged(queue: PersistedQueue): void;
  queueDeleted(name: string): void;
  queuePurged(name: string, freeNames: boolean): void;
  taskChanged(task: TaskRecord): void;
  taskDeleted(name: string): void;
  policyChanged(resource: string, policy: PersistedPolicy): void;
  jobChanged(job: PersistedJob): void;
  jobDeleted(name: string): void;
}
