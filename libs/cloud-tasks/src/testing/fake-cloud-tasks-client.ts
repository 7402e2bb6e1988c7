import type { protos } from '@google-cloud/tasks';
import type { JobEnvelope } from '../interfaces/job.interface.js';

export type CreateTaskRequest = protos.google.cloud.tasks.v2.ICreateTaskRequest;
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
export type FakeStep = Error | ((request: CreateTaskRequest) => unknown);

/**
 * Stands in for `CloudTasksClient` behind the `CLOUD_TASKS_CLIENT` token. Records every `createTask` request,
 * answers from a script (then succeeds), and counts how many calls are in flight at once.
 */
export class FakeCloudTasksClient {
  readonly requests: CreateTaskRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  closeCalls = 0;
  /** Runs for every call once the script is used up (default: succeed). */
  fallback?: (request: CreateTaskRequest) => unknown;
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
      if (step) await step(request);
      return [{ ...request.task }, undefined, undefined];
    } finally {
      this.inFlight--;
    }
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
