import { MAX_QUEUE_ID_LENGTH, MAX_TASK_ID_LENGTH } from '../emulator.constants.js';
import { Messages, invalidArgument } from './rpc.error.js';

/** `projects/P/locations/L`: PROJECT_ID letters, digits, hyphens, colons, periods; LOCATION_ID letters, digits, hyphens. */
const LOCATION_RE = /^projects\/([A-Za-z0-9.:-]+)\/locations\/([A-Za-z0-9-]+)$/;
const QUEUE_RE = /^(projects\/[A-Za-z0-9.:-]+\/locations\/[A-Za-z0-9-]+)\/queues\/([A-Za-z0-9-]+)$/;
const TASK_RE = /^(projects\/[A-Za-z0-9.:-]+\/locations\/[A-Za-z0-9-]+\/queues\/[A-Za-z0-9-]+)\/tasks\/(.*)$/;
const TASK_ID_RE = /^[A-Za-z0-9_-]+$/;

export interface QueueNameParts {
  name: string;
  parent: string;
  queueId: string;
}

export interface TaskNameParts {
  name: string;
  queueName: string;
  taskId: string;
}

/** Validates a location name (`projects/P/locations/L`), throwing INVALID_ARGUMENT. */
export function parseLocationName(parent: string | undefined): string {
  if (!parent || !LOCATION_RE.test(parent)) throw invalidArgument(Messages.parentName);
  return parent;
}

/** Validates a queue name, throwing INVALID_ARGUMENT with the service's message. */
export function parseQueueName(name: string | undefined): QueueNameParts {
  const match = name ? QUEUE_RE.exec(name) : null;
  if (!match || match[2].length > MAX_QUEUE_ID_LENGTH) throw invalidArgument(Messages.queueName);
  return { name: name!, parent: match[1], queueId: match[2] };
}

/** Validates a task name (and its id: letters, digits, `-`, `_`, at most 500 characters). */
export function parseTaskName(name: string | undefined): TaskNameParts {
  const match = name ? TASK_RE.exec(name) : null;
  if (!match) throw invalidArgument(Messages.taskName);
  const taskId = match[2];
  if (!isValidTaskId(taskId)) throw invalidArgument(Messages.taskId(taskId));
  return { name: name!, queueName: match[1], taskId };
}

export function isValidTaskId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_TASK_ID_LENGTH && TASK_ID_RE.test(id);
}

/** The last path segment of a resource name. */
export function shortId(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
