import { AppEngineHeaders, DispatchHeaders } from '../emulator.constants.js';
import type { TaskRecord } from '../core/task.record.js';

/**
 * The headers of one attempt: the task's own, then the service's set (`X-CloudTasks-*` for HTTP tasks,
 * `X-AppEngine-*` for App Engine tasks), then the OIDC token if any.
 */
export function dispatchHeaders(task: TaskRecord, idToken: string | undefined): Record<string, string> {
  const names = task.appEngine ? AppEngineHeaders : DispatchHeaders;
  const headers: Record<string, string> = { ...task.headers };
  headers[names.QueueName] = task.queue.id;
  headers[names.TaskName] = task.id;
  headers[names.RetryCount] = String(task.retryCount);
  headers[names.ExecutionCount] = String(task.executionCount);
  headers[names.Eta] = (task.scheduleTime / 1000).toFixed(6);
  if (task.retryCount > 0) {
    if (task.previousResponse !== undefined) headers[names.PreviousResponse] = String(task.previousResponse);
    if (task.retryReason) headers[names.RetryReason] = task.retryReason;
  }
  if (idToken) headers.Authorization = `Bearer ${idToken}`;
  return headers;
}
