import type { Scope, Type } from '@nestjs/common';
import type { ScheduleFireInfo } from './schedule-config.interface.js';

/**
 * Typed payloads by job name. Augment it in your app to have `JobQueueService.add()` type-check payloads:
 *
 * ```ts
 * declare module '@app/cloud-tasks' {
 *   interface JobPayloads { 'calendar-sync': CalendarSyncPayload }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface JobPayloads {}

/** A job name: any key of {@link JobPayloads}, or any string when the map is not augmented. */
export type JobName = keyof JobPayloads extends never ? string : Extract<keyof JobPayloads, string> | (string & {});

/** The payload type of a job name (`unknown` for names not in {@link JobPayloads}). */
export type JobPayloadOf<N extends string> = N extends keyof JobPayloads ? JobPayloads[N] : unknown;

/** The JSON body every task carries (base64 in `httpRequest.body`). */
export interface JobEnvelope<T = unknown> {
  jobName: string;
  data: T;
  idempotencyKey: string;
  /** ISO-8601 time the job was enqueued. */
  enqueuedAt: string;
  /** Per-job attempt cap given to `add()`, enforced by the handler. */
  maxAttempts?: number;
  /** Dispatch deadline of the task in seconds, when set (the handler aborts `job.signal` when it passes). */
  dispatchDeadline?: number;
  /** Who enqueued the job (`add()`'s `actor`), when given. */
  actor?: string;
  /** The fire that enqueued the job, when a schedule did: `{ id, scheduleTime }` (ISO-8601). */
  schedule?: { id: string; scheduleTime: string };
}

/** What a processor receives beside its payload: the delivery as Cloud Tasks describes it in its headers. */
export interface JobContext {
  jobName: string;
  /** Queue id from `X-CloudTasks-QueueName`. */
  queueName: string;
  /** Short task id from `X-CloudTasks-TaskName`. */
  taskName: string;
  idempotencyKey: string;
  /** Times this task has been retried (`X-CloudTasks-TaskRetryCount`): 0 on the first attempt. */
  retryCount: number;
  /** Times the task got a response other than 5xx (`X-CloudTasks-TaskExecutionCount`). */
  executionCount: number;
  /** `retryCount + 1`. */
  attempt: number;
  /** Effective attempt cap: the per-job `maxAttempts` when set, else the queue's; `-1` = unlimited. */
  maxAttempts: number;
  /** True when a retryable failure now will not be retried (the job goes to the dead letters instead). */
  isFinalAttempt: boolean;
  /** The task's schedule time (`X-CloudTasks-TaskETA`). */
  eta: Date;
  /** HTTP status of the previous attempt (`X-CloudTasks-TaskPreviousResponse`), when there was one. */
  previousResponse?: number;
  /** Why the task is retried (`X-CloudTasks-TaskRetryReason`), when it is. */
  retryReason?: string;
  /** When the job was enqueued (from the envelope). */
  enqueuedAt: Date;
  /** Who enqueued the job (`add()`'s `actor`), when given. */
  actor?: string;
  /** The schedule fire that enqueued this job (`X-CloudScheduler-ScheduleTime` of the tick), when a schedule did. */
  schedule?: ScheduleFireInfo;
  /** Aborts when the dispatch deadline passes: Cloud Tasks has stopped waiting and will retry. */
  signal: AbortSignal;
}

/**
 * A job handler: a provider class decorated with `@JobHandler(name)` that implements `process()`.
 * Throw `RetryableError` to have Cloud Tasks retry, `PermanentError` to dead-letter the job at once;
 * any other error is retried until the final attempt.
 */
export interface JobProcessor<TData = unknown, TResult = unknown> {
  process(data: TData, job: JobContext): Promise<TResult> | TResult;
}

/** Options of `@JobHandler()`. */
export interface JobHandlerOptions {
  /** A class-validator class the payload is validated and transformed against (whitelist, no unknown fields, nested). */
  payload?: Type<object>;
  /** Per-job attempt cap enforced by the handler; must not exceed the queue's `maxAttempts`. */
  maxAttempts?: number;
  /** Injection scope of the handler: `Scope.REQUEST` builds one instance per delivery (default: a singleton). */
  scope?: Scope;
}
