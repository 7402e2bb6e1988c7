import { DispatchHeaders } from '../emulator.constants.js';
import type { TaskRecord } from '../core/task.record.js';

/** The headers of one attempt: the task's own, then the X-CloudTasks-* set, then the OIDC token if any. */
export function dispatchHeaders(task: TaskRecord, idToken: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { ...task.headers };
  headers[DispatchHeaders.QueueName] = task.queue.id;
  headers[DispatchHeaders.TaskName] = task.id;
  headers[DispatchHeaders.RetryCount] = String(task.retryCount);
  headers[DispatchHeaders.ExecutionCount] = String(task.executionCount);
  headers[DispatchHeaders.Eta] = (task.scheduleTime / 1000).toFixed(6);
  if (task.retryCount > 0) {
    if (task.previousResponse !== undefined) headers[DispatchHeaders.PreviousResponse] = String(task.previousResponse);
    if (task.retryReason) headers[DispatchHeaders.RetryReason] = task.retryReason;
  }
  if (idToken) headers.Authorization = `Bearer ${idToken}`;
  return headers;
}
