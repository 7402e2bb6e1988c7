import type { AttemptRecord, AttemptStatus, FireRecord } from './attempts/attempt-record.interface.js';
import type { JobExecution } from './scheduler/scheduler.engine.js';

export type TaskOutcome = 'succeeded' | 'exhausted' | 'deleted';

/** A task as it was when it left the emulator. Times are virtual epoch ms. */
export interface FinishedTask {
  name: string;
  id: string;
  /** Queue id. */
  queue: string;
  url: string;
  createTime: number;
  dispatchCount: number;
  responseCount: number;
  executionCount: number;
  retryCount: number;
  lastStatus?: AttemptStatus;
}

export interface TaskFinishedEvent {
  task: FinishedTask;
  outcome: TaskOutcome;
}

/** Events of {@link CloudTasksEmulator}. */
export interface CloudTasksEmulatorEvents {
  /** After every dispatch attempt. */
  attempt: [AttemptRecord];
  /** When a task succeeded, ran out of retries, or was deleted (DeleteTask, PurgeQueue, DeleteQueue). */
  'task-finished': [TaskFinishedEvent];
  /** When no task is left and no request is in flight. */
  idle: [];
  /** After every attempt of a scheduler job (a fire or a retry). */
  fire: [FireRecord];
  /** When an execution of a scheduler job (a tick or RunJob, with its retries) succeeded or failed for good. */
  'execution-finished': [JobExecution];
}
