import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegisteredJobHandler } from '../handlers/job-handler.registry.js';
import type { JobClaim } from '../idempotency/job-claims.js';
import type { JobEnvelope } from '../interfaces/job.interface.js';
import type { JobOutcome } from './job-outcome.js';
import type { ScheduleFire } from '../schedules/schedule-fires.js';

/** Who called the job endpoint: the claims of the verified token (absent in auth mode `none`). */
export interface JobCaller {
  /** `email` claim: the service account Cloud Tasks signed the token as. */
  email?: string;
  /** Every claim of the token. */
  claims: Readonly<Record<string, unknown>>;
}

/** The body headers the HTTP front door took out of the framework's sight (so no app-wide parser reads the body). */
export interface HiddenBodyHeaders {
  'content-type'?: string;
  'content-length'?: string;
  'transfer-encoding'?: string;
}

/** What the Cloud Tasks headers and the URL say about a delivery, once its job is known. */
export interface JobRoute {
  handler: RegisteredJobHandler;
  /** `X-CloudTasks-QueueName`. */
  queueName: string;
  /** Short task id (`X-CloudTasks-TaskName`), or `unknown`. */
  taskName: string;
  retryCount: number;
  executionCount: number;
  /** Schedule time from `X-CloudTasks-TaskETA`, when valid. */
  eta?: Date;
  previousResponse?: number;
  retryReason?: string;
  /** Cloud Trace id from `X-Cloud-Trace-Context`. */
  trace?: string;
  /** The headers the delivery's trace context is read from (`traceparent`…): the request's, or the task's. */
  carrier?: Readonly<Record<string, string | string[] | undefined>>;
}

/** The attempt numbers a delivery runs with: the queue's cap, or the job's own (handler option or envelope). */
export interface JobAttempt {
  /** `retryCount + 1`. */
  attempt: number;
  /** `-1` = unlimited. */
  maxAttempts: number;
  /** A retryable failure now ends the task's life (the job is dead-lettered instead). */
  isFinal: boolean;
}

/** A body that is a valid envelope with a valid payload. */
export interface ValidDelivery {
  valid: true;
  envelope: JobEnvelope;
  /** The validated (and, with a payload class, transformed) payload. */
  data: unknown;
  attempt: JobAttempt;
  /** Dispatch deadline in seconds (the envelope's, the queue's, or Cloud Tasks' default). */
  deadlineSeconds: number;
}

/** A body that can never succeed (bad envelope or payload, attempt over the job's cap): dead-lettered, never run. */
export interface InvalidDelivery {
  valid: false;
  error: string;
  /** Present when the envelope itself was readable, so the delivery can still be matched to its idempotency key. */
  envelope?: JobEnvelope;
  attempt: JobAttempt;
  deadlineSeconds: number;
}

export type ParsedDelivery = ValidDelivery | InvalidDelivery;

/** The step results a delivery carries, each set once by the step that produced it. */
export interface JobDeliverySteps {
  caller: JobCaller;
  route: JobRoute;
  body: Buffer;
  parsed: ParsedDelivery;
  claim: JobClaim;
  outcome: JobOutcome;
  /** Set instead of `route` on a Cloud Scheduler fire: the schedule and tick whose task the endpoint enqueues. */
  fire: ScheduleFire;
}

/** Thrown when a step result is set twice, or read before the step ran: a bug in the pipeline, never user input. */
export class DeliveryStateError extends Error {
  override readonly name = 'DeliveryStateError';
}

/**
 * One request to the job endpoint, from the moment the HTTP front door saw it to its answer. Each pipeline step
 * (authenticate → route → read body → parse → claim → run) sets its result once with {@link set}; later steps read
 * it with {@link get}. Nothing is rewritten: a second `set` of the same step throws.
 */
export class JobDelivery {
  /** Epoch ms when the front door saw the request. */
  readonly receivedAt = Date.now();
  private readonly steps: Partial<JobDeliverySteps> = {};
  private controller?: AbortController;
  private abortReason?: Error;
  private deadlineTimer?: NodeJS.Timeout;
  private deadlineAt?: number;
  private deadlineSeconds = 0;
  private onClose?: () => void;

  constructor(
    /** The Node request (Express' request, Fastify's `request.raw`); absent for deliveries of another transport. */
    readonly request: IncomingMessage | undefined,
    /** The Node response (Express' response, Fastify's `reply.raw`); absent for deliveries of another transport. */
    readonly response: ServerResponse | undefined,
    /** Body headers hidden from the framework until the body reader restores them. */
    readonly hidden: HiddenBodyHeaders,
  ) {}

  set<K extends keyof JobDeliverySteps>(step: K, value: JobDeliverySteps[K]): void {
    if (this.steps[step] !== undefined) throw new DeliveryStateError(`delivery step "${step}" was already set`);
    this.steps[step] = value;
  }

  get<K extends keyof JobDeliverySteps>(step: K): JobDeliverySteps[K] {
    const value = this.steps[step];
    if (value === undefined) throw new DeliveryStateError(`delivery step "${step}" has not run`);
    return value;
  }

  has(step: keyof JobDeliverySteps): boolean {
    return this.steps[step] !== undefined;
  }

  /** The request's `Content-Type`, as sent (the framework never saw it). */
  get contentType(): string | undefined {
    return this.hidden['content-type'];
  }

  /**
   * Aborts when the dispatch deadline passes, the connection drops, or the claim is lost. Created on first use: a
   * processor that never reads `job.signal` costs no controller, timer or listener.
   */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
      else {
        this.armDeadline();
        const response = this.response;
        if (response) {
          this.onClose = () => {
            if (!response.writableFinished) this.abort(new Error('Cloud Tasks closed the connection'));
          };
          response.once('close', this.onClose);
        }
      }
    }
    return this.controller.signal;
  }

  /** Aborts `signal` (now, or the moment it is first read). The first reason wins. */
  abort(reason: Error): void {
    if (this.abortReason) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
    this.disarm();
  }

  /**
   * Starts the dispatch-deadline clock of the run: the signal aborts `realMs` after the request arrived (the deadline of
   * `seconds` on the Cloud Tasks clock, which runs faster than real time against an emulator with a time scale).
   */
  startDeadline(seconds: number, realMs = seconds * 1000): void {
    this.deadlineSeconds = seconds;
    this.deadlineAt = this.receivedAt + realMs;
    if (this.controller && !this.abortReason) this.armDeadline();
  }

  /** Stops the deadline clock and the connection listener: the answer is out. */
  finish(): void {
    this.disarm();
  }

  private armDeadline(): void {
    if (this.deadlineAt === undefined || this.deadlineTimer) return;
    this.deadlineTimer = setTimeout(() => this.abort(new Error(`Dispatch deadline of ${this.deadlineSeconds}s passed`)), Math.max(0, this.deadlineAt - Date.now()));
    this.deadlineTimer.unref();
  }

  private disarm(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    if (this.onClose) this.response?.removeListener('close', this.onClose);
    this.onClose = undefined;
  }
}

/** A delivery that came over HTTP (the job endpoint): its Node request and response are known. */
export type HttpJobDelivery = JobDelivery & { readonly request: IncomingMessage; readonly response: ServerResponse };
