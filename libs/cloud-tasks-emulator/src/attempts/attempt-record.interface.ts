/** What one dispatch attempt ended with: an HTTP status, no response within the dispatch deadline, or no connection. */
export type AttemptStatus = number | 'timeout' | 'network-error';

/** One entry of the attempt log. */
export interface AttemptRecord {
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
