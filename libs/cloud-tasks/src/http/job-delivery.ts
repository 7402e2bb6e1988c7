import type { RegisteredJobHandler } from '../handlers/job-handler.registry.js';
import type { JobEvent } from '../events/job-event.interface.js';
import type { JobContext, JobEnvelope } from '../interfaces/job.interface.js';

/** How a delivery ended, as the endpoint answers it. */
export type JobOutcomeKind = 'success' | 'retry' | 'dead' | 'duplicate' | 'busy' | 'unavailable';

export interface JobOutcome {
  kind: JobOutcomeKind;
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Why a dead job died: `permanent` or `exhausted` (retryable error on the final attempt). */
  deadReason?: 'permanent' | 'exhausted';
  /** The processor's result on success. */
  result?: unknown;
  error?: string;
}

/** One request to the job endpoint, as the guards, interceptor and controller see it. Attached to the request. */
export interface JobDelivery {
  handler: RegisteredJobHandler;
  /** Short task id from the headers (or `unknown`). */
  taskName: string;
  queueName: string;
  retryCount: number;
  /** Present when the envelope parsed. */
  envelope?: JobEnvelope;
  /** The validated (and transformed) payload. */
  data?: unknown;
  context?: JobContext;
  /** Why the request can never succeed (bad envelope/payload, per-job cap exceeded): it is dead-lettered, not run. */
  invalid?: string;
  /** Id of this delivery's idempotency claim, when it holds one. */
  claimOwner?: string;
  outcome?: JobOutcome;
  trace?: string;
  startedAt: number;
  abort: AbortController;
  /** Dispatch deadline of this delivery in seconds: `signal` aborts when it passes. */
  deadlineSeconds: number;
}

export const JOB_DELIVERY = Symbol('cloud-tasks:delivery');

/** The request fields the job pipeline reads and writes. */
export interface JobRequest {
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  rawBody?: Buffer;
  [JOB_DELIVERY]?: JobDelivery;
}

/** The response methods the pipeline uses (Express and Fastify both have them). */
export interface JobResponse {
  status(code: number): unknown;
  setHeader?(name: string, value: string): unknown;
  header?(name: string, value: string): unknown;
  on?(event: 'close', listener: () => void): unknown;
  writableFinished?: boolean;
}

export function headerValue(request: Pick<JobRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function writeOutcome(response: JobResponse, outcome: Pick<JobOutcome, 'status' | 'headers'>): void {
  response.status(outcome.status);
  for (const [name, value] of Object.entries(outcome.headers ?? {})) {
    if (response.setHeader) response.setHeader(name, value);
    else response.header?.(name, value);
  }
}

/** The lifecycle event of a delivery (payload values never included). */
export function deliveryEvent(delivery: JobDelivery, type: JobEvent['type'], fields: Partial<JobEvent> = {}): JobEvent {
  return {
    type,
    jobName: delivery.handler.jobName,
    queue: delivery.queueName,
    taskName: delivery.taskName,
    idempotencyKey: delivery.envelope?.idempotencyKey ?? '',
    attempt: delivery.retryCount + 1,
    trace: delivery.trace,
    ...fields,
  };
}
