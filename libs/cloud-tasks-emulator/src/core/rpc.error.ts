import { status } from '@grpc/grpc-js';

/** An error the gRPC layer answers with `code` and `message`, like the real service. */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

export const invalidArgument = (message: string): RpcError => new RpcError(status.INVALID_ARGUMENT, message);
export const notFound = (message = 'Requested entity was not found.'): RpcError => new RpcError(status.NOT_FOUND, message);
export const alreadyExists = (message = 'Requested entity already exists'): RpcError => new RpcError(status.ALREADY_EXISTS, message);
export const failedPrecondition = (message: string): RpcError => new RpcError(status.FAILED_PRECONDITION, message);
export const unimplemented = (message: string): RpcError => new RpcError(status.UNIMPLEMENTED, message);
export const aborted = (message: string): RpcError => new RpcError(status.ABORTED, message);

/** Messages of the real service (recorded against Cloud Tasks), so clients that match on them behave the same. */
export const Messages = {
  queueNotFound: 'Queue does not exist. If you just created the queue, wait at least a minute for the queue to initialize.',
  queueAlreadyExists: 'Queue already exists',
  queueRecentlyDeleted: 'The queue cannot be created because a queue with this name existed too recently.',
  queueNoLongerExists: 'The queue no longer exists, though a queue with this name existed recently.',
  concurrentPolicyChange: 'There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.',
  taskRecentlyDeleted:
    'The task no longer exists, though a task with this name existed recently. The task either successfully completed or was deleted.',
  queueName: 'Queue name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/<QUEUE_ID>".',
  taskName:
    'Task name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/<QUEUE_ID>/tasks/<TASK_ID>".',
  parentName: 'Parent must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>".',
  taskId: (id: string) =>
    `Task ID "${id}" can contain only letters ([A-Za-z]), numbers ([0-9]), hyphens (-), or underscores (_). Task ID must between 1 and 500 characters.`,
  queueMismatch: (fromRequest: string, fromTask: string) =>
    `The queue name from request ('${fromRequest}') must be the same as the queue name in the named task ('${fromTask}').`,
} as const;
