import type { IncomingHttpHeaders } from 'node:http';
import { CloudTasksHeaders } from '../cloud-tasks.constants.js';
import { MISSING_QUEUE_HEADER, NO_HANDLER_FOR_JOB, WRONG_QUEUE_HEADER } from '../cloud-tasks.messages.js';
import type { JobRoute } from '../delivery/job-delivery.js';
import type { JobHandlerRegistry } from '../handlers/job-handler.registry.js';
import { JobRequestRefusal } from './job-request.refusal.js';

/**
 * The route of a delivery: its job must have a handler (404 otherwise, which Cloud Tasks retries: a new job type may
 * be enqueued before its handler is deployed) and `X-CloudTasks-QueueName` must name that job's queue (400).
 */
export function routeOf(registry: JobHandlerRegistry, jobName: string, headers: IncomingHttpHeaders): JobRoute {
  const handler = registry.get(jobName);
  if (!handler) throw new JobRequestRefusal(404, NO_HANDLER_FOR_JOB(jobName.slice(0, 100)));
  const queueName = header(headers, CloudTasksHeaders.QueueName);
  if (!queueName) throw new JobRequestRefusal(400, MISSING_QUEUE_HEADER);
  if (queueName !== handler.queue.name) throw new JobRequestRefusal(400, WRONG_QUEUE_HEADER(queueName.slice(0, 100), jobName, handler.queue.name));
  const eta = Number(header(headers, CloudTasksHeaders.Eta));
  const previous = Number(header(headers, CloudTasksHeaders.PreviousResponse));
  return {
    handler,
    queueName,
    taskName: header(headers, CloudTasksHeaders.TaskName) ?? 'unknown',
    retryCount: count(header(headers, CloudTasksHeaders.RetryCount)),
    executionCount: count(header(headers, CloudTasksHeaders.ExecutionCount)),
    eta: Number.isFinite(eta) && eta > 0 ? new Date(eta * 1000) : undefined,
    previousResponse: Number.isInteger(previous) && previous > 0 ? previous : undefined,
    retryReason: header(headers, CloudTasksHeaders.RetryReason) || undefined,
    trace: header(headers, 'x-cloud-trace-context')?.split('/')[0],
    carrier: headers,
  };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A count header: digits only (at most 9), anything else counts as 0. */
function count(value: string | undefined): number {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : 0;
}
