import type { protos } from '@google-cloud/tasks';
import type { JobEnvelope } from '../interfaces/job.interface.js';

export type CreateTaskRequest = protos.google.cloud.tasks.v2.ICreateTaskRequest;
export type GetTaskRequest = protos.google.cloud.tasks.v2.IGetTaskRequest;
export type Task = protos.google.cloud.tasks.v2.ITask;

/** gRPC status codes the fake is scripted with. */
export const GrpcCode = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  UNAVAILABLE: 14,
} as const;

/** An error shaped like the ones google-gax rejects with: a message and a numeric gRPC `code`. */
export function grpcError(code: number, message = `gRPC error ${code}`): Error & { code: number } {
  return Object.assign(new Error(message), { code });
}

/** What one scripted `createTask` call does: reject with an error, or run a function (which may wait or throw). */
export type FakeStep = Error | ((request: CreateTaskRequest, client: FakeCloudTasksClient) => unknown);

/** A step for {@link FakeCloudTasksClient.next}: the task is created, then the reply is lost with `error`. */
export function createdThen(error: Error): (request: CreateTaskRequest, client: FakeCloudTasksClient) => never {
  return (request, client) => {
    client.created.add(request.task?.name ?? '');
    throw error;
  };
}

/**
 * Stands in for `CloudTasksClient` behind the `CLOUD_TASKS_CLIENT` token. Records every `createTask` request,
 * answers from a script (then succeeds), and counts how many calls are in flight at once.
 */
export class FakeCloudTasksClient {
  readonly requests: CreateTaskRequest[] = [];
  /** Names of the tasks created (what `getTask` finds). */
  readonly created = new Set<string>();
  readonly getTaskRequests: GetTaskRequest[] = [];
  /** When set, `getTask` rejects with it (Cloud Tasks cannot be asked). */
  getTaskError?: Error;
  /** When true, a task name that was created before is refused with ALREADY_EXISTS, as Cloud Tasks does. */
  uniqueNames = false;
  inFlight = 0;
  maxInFlight = 0;
  closeCalls = 0;
  /** Runs for every call once the script is used up (default: succeed). */
  fallback?: (request: CreateTaskRequest, client: FakeCloudTasksClient) => unknown;
  private readonly script: FakeStep[] = [];

  /** Queues the outcomes of the next calls, in order. */
  next(...steps: FakeStep[]): this {
    this.script.push(...steps);
    return this;
  }

  async createTask(request: CreateTaskRequest): Promise<[Task, undefined, undefined]> {
    this.requests.push(request);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // NOTE: like a real network call, never answer synchronously.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const step = this.script.shift() ?? this.fallback;
      if (step instanceof Error) throw step;
      if (step) await step(request, this);
      if (this.uniqueNames && this.created.has(request.task?.name ?? '')) throw grpcError(GrpcCode.ALREADY_EXISTS, '6 ALREADY_EXISTS: the task exists');
      this.created.add(request.task?.name ?? '');
      return [{ ...request.task }, undefined, undefined];
    } finally {
      this.inFlight--;
    }
  }

  async getTask(request: GetTaskRequest): Promise<[Task, undefined, undefined]> {
    this.getTaskRequests.push(request);
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.getTaskError) throw this.getTaskError;
    if (!this.created.has(request.name ?? '')) throw grpcError(GrpcCode.NOT_FOUND, `5 NOT_FOUND: task ${request.name} not found`);
    return [{ name: request.name }, undefined, undefined];
  }

  async close(): Promise<void> {
    this.closeCalls++;
  }

  /** The task of every request, in call order. */
  get tasks(): Task[] {
    return this.requests.map((r) => r.task ?? {});
  }

  /** The envelope carried by the n-th request's body. */
  envelope(index = 0): JobEnvelope {
    return decodeTaskBody(this.tasks[index]?.httpRequest?.body) as JobEnvelope;
  }
}

/** Decodes a task body as Cloud Tasks would deliver it: bytes (or base64 text) of a JSON document. */
export function decodeTaskBody(body: Uint8Array | string | null | undefined): unknown {
  if (body === null || body === undefined) throw new Error('task has no body');
  const bytes = typeof body === 'string' ? Buffer.from(body, 'base64') : Buffer.from(body);
  return JSON.parse(bytes.toString('utf8'));
}
