/** What one dispatch attempt ended with: an HTTP status, no response within the dispatch deadline, or no connection. */
export type AttemptStatus = number | 'timeout' | 'network-error';

/** One dispatch attempt of a Cloud Tasks task. */
export interface AttemptRecord {
  kind: 'task';
  /** Full task name, `projects/…/queues/Q/tasks/ID`. */
  taskName: string;
  /** Short task id (the X-CloudTasks-TaskName header). */
  taskId: string;
  /** Queue id (the X-CloudTasks-QueueName header). */
  queue: string;
  url: string;
  /** 1-based attempt number (the task's dispatch count). */
  attempt: number;
  /** X-CloudTasks-TaskRetryCount sent with this attempt. */
  retryCount: number;
  /** X-CloudTasks-TaskExecutionCount sent with this attempt. */
  executionCount: number;
  /** Dispatch time on the emulator's virtual clock (epoch ms). */
  virtualTime: number;
  /** Dispatch time on the real clock (epoch ms). */
  realTime: number;
  status: AttemptStatus;
  /** Real milliseconds from dispatch to the end of the response (or the failure). */
  durationMs: number;
}

/** One attempt of a Cloud Scheduler job (a fire, or a retry of one). */
export interface FireRecord {
  kind: 'job';
  /** Full job name, `projects/…/locations/…/jobs/ID`. */
  jobName: string;
  /** Short job id (the X-CloudScheduler-JobName header). */
  jobId: string;
  url: string;
  /** The execution's schedule time (X-CloudScheduler-ScheduleTime), virtual epoch ms; for RunJob, when it was asked. */
  scheduleTime: number;
  /** Whether the execution was started by RunJob rather than by the schedule. */
  forced: boolean;
  /** 1-based attempt number within the execution. */
  attempt: number;
  /** Failed attempts of the execution before this one. */
  retryCount: number;
  /** Dispatch time on the emulator's virtual clock (epoch ms). */
  virtualTime: number;
  /** Dispatch time on the real clock (epoch ms). */
  realTime: number;
  status: AttemptStatus;
  /** Real milliseconds from dispatch to the end of the response (or the failure). */
  durationMs: number;
}

/** An entry of the attempt log: a task attempt or a scheduler job attempt (tell them apart by `kind`). */
export type LoggedAttempt = AttemptRecord | FireRecord;
