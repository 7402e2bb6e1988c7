import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { JobEventBus } from './job-event-bus.js';
import { escapeControl } from '../utils/log-text.js';
import type { JobEvent, JobEventType } from './job-event.interface.js';

/** Cloud Logging severities used for job lifecycle lines. */
export type LifecycleSeverity = 'INFO' | 'WARNING' | 'ERROR';

/** The Cloud Logging field that links a log line to a Cloud Trace trace. */
export const CLOUD_LOGGING_TRACE_FIELD = 'logging.googleapis.com/trace';

/**
 * One lifecycle log line as a Cloud Logging structured entry: `severity` and `message` are read by Cloud Logging, the
 * trace field links the line to the request's trace, the rest lands in `jsonPayload`. Never carries payload values.
 */
export interface JobLifecycleLogEntry {
  severity: LifecycleSeverity;
  message: string;
  /** The lifecycle event: enqueued, enqueue-duplicate, started, completed, duplicate, retrying, dead. */
  event: JobEventType;
  jobName: string;
  queue: string;
  taskName: string;
  attempt?: number;
  durationMs?: number;
  /** The error message, already redacted by the job runner. */
  error?: string;
  /** Who enqueued the job (`add()`'s `actor`), when given: on every event of the job. */
  actor?: string;
  /** ISO-8601 schedule time of a delayed job, on enqueued/enqueue-duplicate. */
  scheduleTime?: string;
  /** `projects/{projectId}/traces/{traceId}`, when the delivery carried `X-Cloud-Trace-Context`. */
  [CLOUD_LOGGING_TRACE_FIELD]?: string;
}

const SEVERITY: Record<JobEventType, LifecycleSeverity> = {
  enqueued: 'INFO',
  'enqueue-duplicate': 'INFO',
  started: 'INFO',
  completed: 'INFO',
  duplicate: 'INFO',
  retrying: 'WARNING',
  dead: 'ERROR',
};

/** A Cloud Trace id (32 hex digits); anything else in the header is not put in the trace field. */
const TRACE_ID = /^[0-9a-f]{32}$/i;

/**
 * Builds the log entry of one event (pure; exported for custom sinks and tests). Every text is escaped for the log:
 * errors may quote payload values and task names come from request headers, so a newline there must not start a line.
 */
export function jobLifecycleLogEntry(event: JobEvent, projectId: string): JobLifecycleLogEntry {
  const { severity, ...fields } = lineFields(event, projectId);
  return { severity, message: escapeControl(messageOf(event)), ...fields };
}

/** The entry without its message, in the entry's key order: what the logger passes beside the message. */
function lineFields(event: JobEvent, projectId: string): Omit<JobLifecycleLogEntry, 'message'> {
  const fields: Omit<JobLifecycleLogEntry, 'message'> = {
    severity: SEVERITY[event.type] ?? 'INFO',
    event: event.type,
    jobName: escapeControl(event.jobName),
    queue: escapeControl(event.queue),
    taskName: escapeControl(event.taskName),
  };
  if (event.attempt !== undefined) fields.attempt = event.attempt;
  if (event.durationMs !== undefined) fields.durationMs = event.durationMs;
  if (event.error !== undefined) fields.error = escapeControl(event.error);
  if (event.actor !== undefined) fields.actor = escapeControl(event.actor);
  if (event.scheduleTime !== undefined) fields.scheduleTime = event.scheduleTime;
  if (event.trace && TRACE_ID.test(event.trace)) fields[CLOUD_LOGGING_TRACE_FIELD] = `projects/${projectId}/traces/${event.trace}`;
  return fields;
}

/** ` (a, b)`, ` (a)` or nothing, for the parts that are there. */
function details(first: string | undefined, second?: string): string {
  if (first && second) return ` (${first}, ${second})`;
  const one = first || second;
  return one ? ` (${one})` : '';
}

function messageOf(event: JobEvent): string {
  const job = event.jobName;
  const attempt = event.attempt !== undefined ? `attempt ${event.attempt}` : undefined;
  const took = event.durationMs !== undefined ? `${event.durationMs} ms` : undefined;
  switch (event.type) {
    case 'enqueued':
      return `job ${job} enqueued on ${event.queue}`;
    case 'enqueue-duplicate':
      return `job ${job} already enqueued with this idempotency key`;
    case 'started':
      return `job ${job} started${details(attempt)}`;
    case 'completed':
      return `job ${job} completed${details(attempt, took)}`;
    case 'duplicate':
      return `job ${job} skipped: a delivery with this idempotency key already completed${details(attempt)}`;
    case 'retrying':
      return `job ${job} failed, Cloud Tasks will retry${details(attempt, took)}: ${event.error ?? 'unknown error'}`;
    case 'dead':
      return `job ${job} is dead, recorded as a dead letter${details(attempt, took)}: ${event.error ?? 'unknown error'}`;
    default:
      return `job ${job}: ${String(event.type)}`;
  }
}

/**
 * Logs one structured line per job lifecycle event through Nest's `Logger` (context `CloudTasks`): INFO for enqueued,
 * started, completed and duplicate, WARNING for retrying, ERROR for dead, with the trace of the delivery.
 *
 * The line is `logger.log(message, fields)`: with `new ConsoleLogger({ json: true, flattenParams: true })` as the
 * app's logger, each event is one JSON line whose `severity`, `message` and `logging.googleapis.com/trace` Cloud
 * Logging picks up; in text mode it is the message followed by the fields.
 *
 * Stays subscribed until application shutdown (after the HTTP server has drained), so that jobs still running when
 * `app.close()` is called are logged when they finish.
 */
@Injectable()
export class JobLifecycleLogger implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('CloudTasks');
  private unsubscribe?: () => void;

  constructor(
    private readonly events: JobEventBus,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
  ) {}

  onModuleInit(): void {
    this.unsubscribe ??= this.events.subscribe((event) => this.log(event));
  }

  /**
   * NOTE: not onModuleDestroy: Nest runs it before closing the HTTP server, which then waits for in-flight requests,
   * whose events would go unlogged. onApplicationShutdown runs after the server has drained.
   */
  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Logs one event (what the subscription calls). */
  log(event: JobEvent): void {
    const severity = SEVERITY[event.type] ?? 'INFO';
    const level = severity === 'ERROR' ? 'error' : severity === 'WARNING' ? 'warn' : 'log';
    if (!Logger.isLevelEnabled(level)) return;
    // NOTE: the fields are built once, without the entry's message: the line is the entry, as jobLifecycleLogEntry gives it.
    const message = escapeControl(messageOf(event));
    const fields = lineFields(event, this.options.projectId);
    if (level === 'error') this.logger.error(message, fields);
    else if (level === 'warn') this.logger.warn(message, fields);
    else this.logger.log(message, fields);
  }
}
