import { Injectable, Logger } from '@nestjs/common';
import { MAX_SCHEDULE_AHEAD_MS } from '../cloud-tasks.constants.js';
import { DELAY_TOO_FAR } from '../cloud-tasks.messages.js';
import { signTask, TASK_SIGNATURE_HEADER } from '../auth/task-signature.js';
import { shapeProblem } from '../envelope/envelope.rules.js';
import { actorProblem, dispatchDeadlineProblem, idempotencyKeyProblem, maxAttemptsProblem } from '../limits/job-limits.js';
import { EnqueueLimits } from '../rate-limit/enqueue-limits.js';
import { UNKNOWN_JOB } from '../cloud-tasks.messages.js';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { BulkEnqueueError, type BulkItemResult } from '../errors/bulk-enqueue.error.js';
import { EnqueueValidationError } from '../errors/enqueue.error.js';
import type { BulkJob, BulkOptions, EnqueuedJob, EnqueueOptions } from '../interfaces/enqueue.interface.js';
import type { JobEnvelope, JobName, JobPayloadOf } from '../interfaces/job.interface.js';
import type { ScheduleFireInfo } from '../interfaces/schedule-config.interface.js';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { JobEventBus } from '../events/job-event-bus.js';
import type { PreparedJob } from '../transport/job-transport.js';
import { JobTransports } from '../transport/job-transports.js';
import { JobTelemetry } from '../telemetry/job-telemetry.js';
import { escapeControl } from '../utils/log-text.js';
import { jsonProblem } from '../utils/stable-json.js';
import { contentKey, randomKey, taskIdFor } from './task-id.js';

/** NOTE: schedule times a little in the past are clock skew between the caller and Google, not mistakes. */
const PAST_TOLERANCE_MS = 5_000;

/**
 * Enqueues jobs: checks and builds each one here, then hands it to the transport its job is routed to (Cloud Tasks
 * unless `transport` says otherwise), which delivers it through the same pipeline as the job endpoint.
 *
 * Every job is named (from the idempotency key, else a random UUID), so a transient failure is retried without risk
 * of a second job, and adding the same key twice yields one job (`duplicate: true`).
 */
@Injectable()
export class JobQueueService {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly transports: JobTransports,
    private readonly events: JobEventBus,
    private readonly telemetry: JobTelemetry,
    private readonly limits: EnqueueLimits,
  ) {}

  /**
   * Enqueues one job.
   *
   * @param jobName a job with a queue config (and, to be processed, a `@JobHandler`).
   * @param data the payload: anything JSON can carry unchanged.
   * @param options delay/scheduleTime, idempotencyKey/deduplicate, dispatchDeadline, maxAttempts, actor, skipRateLimit.
   * @throws EnqueueValidationError before any network call (unknown job, bad schedule, too large, not JSON, bad actor…)
   * @throws EnqueueRateLimitError when the job's key is over its `enqueueRateLimits` entry in this window (nothing is
   * sent; `retryAfter` says when to try again). Checked after the other checks, before the job goes to its transport.
   * @throws EnqueueRateLimitUnavailableError when the limit store is unreachable and the limit's failMode is closed.
   * @throws EnqueueError when the transport refuses the job or stays unavailable after retries (`taskMayExist` says
   * whether it may have landed anyway).
   */
  add<N extends JobName>(jobName: N, data: JobPayloadOf<N>, options: EnqueueOptions = {}): Promise<EnqueuedJob> {
    return this.telemetry.traceEnqueue(jobName, this.queueFor(jobName)?.name, (traceHeaders) => this.enqueue(jobName, data, options, traceHeaders));
  }

  /** Checks, limits, builds and sends one job, with the trace headers of its PRODUCER span. */
  private async enqueue(jobName: string, data: unknown, options: EnqueueOptions, traceHeaders: Readonly<Record<string, string>>, schedule?: JobEnvelope['schedule']): Promise<EnqueuedJob> {
    const job = this.prepare(jobName, data, options, traceHeaders, schedule);
    const limitKey = options.skipRateLimit === true ? undefined : this.limits.keyOf(jobName, data);
    if (limitKey !== undefined) await this.limits.hit(jobName, limitKey);
    const { taskName, idempotencyKey, scheduleTime } = job;
    const { actor } = job.envelope;
    let duplicate: boolean;
    try {
      ({ duplicate } = await this.transports.for(jobName).send(job));
    } catch (error) {
      // NOTE: the audit trail's "every failure logged": the caller gets the error, the log keeps who asked for what.
      const taskMayExist = (error as { taskMayExist?: unknown }).taskMayExist === true;
      this.logger.error({ msg: 'job not enqueued', jobName, queue: job.queue.name, taskName, ...(actor !== undefined ? { actor } : {}), taskMayExist, error: escapeControl((error as Error).message ?? String(error)) });
      throw error;
    }
    this.events.emit({
      type: duplicate ? 'enqueue-duplicate' : 'enqueued',
      jobName,
      queue: job.queue.name,
      taskName,
      idempotencyKey,
      ...(actor !== undefined ? { actor } : {}),
      ...(scheduleTime ? { scheduleTime: scheduleTime.toISOString() } : {}),
    });
    return { taskName, jobName, queue: job.queue.name, idempotencyKey, scheduleTime, duplicate };
  }

  /**
   * Enqueues the job of one schedule fire: its idempotency key (and so its task name) is derived from the schedule id
   * and the tick, so a fire delivered twice yields one task (`duplicate: true`), and the processor sees the fire in
   * `job.schedule`. The job endpoint calls this for Cloud Scheduler fires; call it yourself to fire a schedule from
   * elsewhere.
   */
  addScheduled<N extends JobName>(fire: ScheduleFireInfo, jobName: N, data: JobPayloadOf<N>): Promise<EnqueuedJob> {
    const scheduleTime = fire.scheduleTime.toISOString();
    // NOTE: a fire is the system's, never counted against an enqueue limit; its actor names the schedule.
    const actor = `schedule:${fire.id}`;
    const options: EnqueueOptions = { idempotencyKey: `schedule:${fire.id}:${scheduleTime}`, skipRateLimit: true, ...(actorProblem(actor) ? {} : { actor }) };
    return this.telemetry.traceEnqueue(jobName, this.queueFor(jobName)?.name, (traceHeaders) => this.enqueue(jobName, data, options, traceHeaders, { id: fire.id, scheduleTime }));
  }

  /**
   * Enqueues many jobs with bounded concurrency (default 10). Every item is attempted; results are in input order.
   * Enqueue limits apply per item: an item over its limit fails alone (its result holds the `EnqueueRateLimitError`),
   * the others are still enqueued.
   * @throws BulkEnqueueError when any item failed; its `results` hold each item's job or error.
   */
  async addBulk(jobs: ReadonlyArray<BulkJob>, { concurrency = 10 }: BulkOptions = {}): Promise<EnqueuedJob[]> {
    const results: BulkItemResult[] = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const index = next++;
        const { name, data, options } = jobs[index];
        try {
          results[index] = { ok: true, job: await this.add(name, data as JobPayloadOf<typeof name>, options) };
        } catch (error) {
          results[index] = { ok: false, jobName: name, error: error instanceof Error ? error : new Error(String(error)), item: jobs[index] };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker));
    if (results.some((r) => !r.ok)) throw new BulkEnqueueError(results);
    return results.map((r) => (r as { ok: true; job: EnqueuedJob }).job);
  }

  /** The queue config of a job, or undefined. */
  queueFor(jobName: string): QueueConfig | undefined {
    return Object.hasOwn(this.options.queues, jobName) ? this.options.queues[jobName] : undefined;
  }

  /** Full queue path of a job's queue. */
  queuePath(queueId: string): string {
    return `projects/${this.options.projectId}/locations/${this.options.location}/queues/${queueId}`;
  }

  private prepare(jobName: string, data: unknown, options: EnqueueOptions, traceHeaders: Readonly<Record<string, string>>, schedule?: JobEnvelope['schedule']): PreparedJob {
    const fail = (message: string) => new EnqueueValidationError(message, jobName);
    const queue = this.queueFor(jobName);
    if (!queue) throw fail(UNKNOWN_JOB(jobName, Object.keys(this.options.queues)));
    const scheduleTime = this.scheduleTimeOf(options, fail);
    const problem = jsonProblem(data);
    if (problem) throw fail(`Job "${jobName}": ${problem}.`);
    const deadline = options.dispatchDeadline ?? queue.dispatchDeadline;
    const deadlineProblem = deadline === undefined ? undefined : dispatchDeadlineProblem(deadline);
    if (deadlineProblem) throw fail(`Job "${jobName}": dispatchDeadline ${deadlineProblem}, got ${deadline}.`);
    const attemptsProblem = options.maxAttempts === undefined ? undefined : maxAttemptsProblem(options.maxAttempts, queue.retryConfig.maxAttempts);
    if (attemptsProblem?.startsWith('exceeds')) throw fail(`Job "${jobName}": maxAttempts ${options.maxAttempts} ${attemptsProblem}.`);
    if (attemptsProblem) throw fail(`Job "${jobName}": maxAttempts ${attemptsProblem}, got ${options.maxAttempts}.`);
    const keyProblem = options.idempotencyKey === undefined ? undefined : idempotencyKeyProblem(options.idempotencyKey);
    if (keyProblem) throw fail(`Job "${jobName}": idempotencyKey ${keyProblem}.`);
    const actorIssue = options.actor === undefined ? undefined : actorProblem(options.actor);
    if (actorIssue) throw fail(`Job "${jobName}": actor ${actorIssue}.`);

    const idempotencyKey = options.idempotencyKey ?? (options.deduplicate ? contentKey(jobName, data) : randomKey());
    const envelope: JobEnvelope = { jobName, data, idempotencyKey, enqueuedAt: new Date().toISOString() };
    if (options.maxAttempts !== undefined) envelope.maxAttempts = options.maxAttempts;
    if (deadline !== undefined) envelope.dispatchDeadline = deadline;
    if (schedule) envelope.schedule = schedule;
    if (options.actor !== undefined) envelope.actor = options.actor;
    const text = JSON.stringify(envelope);
    const shape = shapeProblem(text, this.options.payloadLimits);
    if (shape) throw fail(`Job "${jobName}": its data is beyond the payload limits (${shape.replace(/^Body /, '')}); the endpoint would refuse it. Pass a reference instead, or raise payloadLimits.`);
    const body = Buffer.from(text);
    const url = `${this.options.serviceUrl}/${this.options.handlerPath}/${encodeURIComponent(jobName)}`;
    const headers = { ...this.headersFor(jobName, body), ...traceHeaders };
    const size = body.length + url.length + Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length, 0);
    if (size > this.options.maxTaskBytes) {
      throw fail(`Job "${jobName}": the task is ${size} bytes, over the ${this.options.maxTaskBytes}-byte limit (maxTaskBytes). Store large data elsewhere and pass a reference.`);
    }

    const taskId = taskIdFor(jobName, idempotencyKey);
    const taskName = `${this.queuePath(queue.name)}/tasks/${taskId}`;
    return { jobName, queue, envelope, body, headers, idempotencyKey, taskId, taskName, scheduleTime, url };
  }

  /** The task's headers: the content type, and the task signature when signing is on (the trace headers are added). */
  private headersFor(jobName: string, body: Buffer): Record<string, string> {
    const signing = this.options.signing;
    return signing ? { 'Content-Type': 'application/json', [TASK_SIGNATURE_HEADER]: signTask(signing.secrets[0], jobName, body) } : { 'Content-Type': 'application/json' };
  }

  private scheduleTimeOf(options: EnqueueOptions, fail: (m: string) => Error): Date | undefined {
    const { delay, scheduleTime } = options;
    if (delay !== undefined && scheduleTime !== undefined) throw fail('Give either delay (seconds) or scheduleTime (Date), not both.');
    const now = Date.now();
    let at: number | undefined;
    if (delay !== undefined) {
      if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) throw fail(`delay must be a number of seconds ≥ 0, got ${String(delay)}.`);
      if (delay === 0) return undefined;
      at = now + delay * 1000;
    } else if (scheduleTime !== undefined) {
      if (!(scheduleTime instanceof Date) || Number.isNaN(scheduleTime.getTime())) throw fail('scheduleTime must be a valid Date.');
      at = scheduleTime.getTime();
      if (at < now - PAST_TOLERANCE_MS) throw fail(`scheduleTime ${scheduleTime.toISOString()} is in the past; use delay: 0 to run now.`);
    }
    if (at === undefined) return undefined;
    if (at - now > MAX_SCHEDULE_AHEAD_MS) {
      if (delay !== undefined) throw fail(DELAY_TOO_FAR(delay));
      throw fail(`The schedule time ${new Date(at).toISOString()} is more than 30 days ahead, Cloud Tasks' limit. Schedule it later (e.g. from a periodic job).`);
    }
    return new Date(at);
  }
}
