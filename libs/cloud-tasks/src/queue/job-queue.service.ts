import { Injectable, Logger } from '@nestjs/common';
import type { CloudTasksClient, protos } from '@google-cloud/tasks';
import { MAX_SCHEDULE_AHEAD_MS } from '../cloud-tasks.constants.js';
import { signTask, TASK_SIGNATURE_HEADER } from '../auth/task-signature.js';
import { shapeProblem } from '../envelope/envelope.rules.js';
import { dispatchDeadlineProblem, idempotencyKeyProblem, maxAttemptsProblem } from '../limits/job-limits.js';
import { UNKNOWN_JOB } from '../cloud-tasks.messages.js';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { BulkEnqueueError, type BulkItemResult } from '../errors/bulk-enqueue.error.js';
import { EnqueueError, EnqueueValidationError } from '../errors/enqueue.error.js';
import type { BulkJob, BulkOptions, EnqueuedJob, EnqueueOptions } from '../interfaces/enqueue.interface.js';
import type { JobEnvelope, JobName, JobPayloadOf } from '../interfaces/job.interface.js';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { JobEventBus } from '../events/job-event-bus.js';
import { toProtoDuration, toProtoTimestamp } from '../utils/duration.js';
import { jsonProblem } from '../utils/stable-json.js';
import { CloudTasksClientHost } from './cloud-tasks-client.host.js';
import { contentKey, randomKey, taskIdFor } from './task-id.js';

/** gRPC status codes this service reacts to. */
const GrpcStatus = { DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, INTERNAL: 13, UNAVAILABLE: 14 } as const;
const TRANSIENT = new Set<number>([GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.UNAVAILABLE, GrpcStatus.INTERNAL, GrpcStatus.RESOURCE_EXHAUSTED]);
const CREATE_ATTEMPTS = 4;
/** NOTE: schedule times a little in the past are clock skew between the caller and Google, not mistakes. */
const PAST_TOLERANCE_MS = 5_000;

type ITask = protos.google.cloud.tasks.v2.ITask;

/** A task ready to be created: what `add()` checked and built, before the network call. */
interface PreparedTask {
  jobName: string;
  queue: QueueConfig;
  parent: string;
  task: ITask;
  idempotencyKey: string;
  scheduleTime?: Date;
}

/**
 * Enqueues jobs as Cloud Tasks HTTP tasks that POST back to this service's job endpoint.
 *
 * Every task is named (from the idempotency key, else a random UUID), so a transient `createTask` failure is retried
 * without risk of a second task, and adding the same key twice yields one task (`duplicate: true`).
 */
@Injectable()
export class JobQueueService {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly clients: CloudTasksClientHost,
    private readonly events: JobEventBus,
  ) {}

  /**
   * Enqueues one job.
   *
   * @param jobName a job with a queue config (and, to be processed, a `@JobHandler`).
   * @param data the payload: anything JSON can carry unchanged.
   * @param options delay/scheduleTime, idempotencyKey/deduplicate, dispatchDeadline, maxAttempts.
   * @throws EnqueueValidationError before any network call (unknown job, bad schedule, too large, not JSON…)
   * @throws EnqueueError when Cloud Tasks refuses the task or stays unavailable after retries.
   */
  async add<N extends JobName>(jobName: N, data: JobPayloadOf<N>, options: EnqueueOptions = {}): Promise<EnqueuedJob> {
    const prepared = this.prepare(jobName, data, options);
    return this.create(prepared);
  }

  /**
   * Enqueues many jobs with bounded concurrency (default 10). Every item is attempted; results are in input order.
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

  private prepare(jobName: string, data: unknown, options: EnqueueOptions): PreparedTask {
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

    const idempotencyKey = options.idempotencyKey ?? (options.deduplicate ? contentKey(jobName, data) : randomKey());
    const envelope: JobEnvelope = { jobName, data, idempotencyKey, enqueuedAt: new Date().toISOString() };
    if (options.maxAttempts !== undefined) envelope.maxAttempts = options.maxAttempts;
    if (deadline !== undefined) envelope.dispatchDeadline = deadline;
    const text = JSON.stringify(envelope);
    const shape = shapeProblem(text, this.options.payloadLimits);
    if (shape) throw fail(`Job "${jobName}": its data is beyond the payload limits (${shape.replace(/^Body /, '')}); the endpoint would refuse it. Pass a reference instead, or raise payloadLimits.`);
    const body = Buffer.from(text);
    const url = `${this.options.serviceUrl}/${this.options.handlerPath}/${encodeURIComponent(jobName)}`;
    const headers = this.headersFor(jobName, body);
    const size = body.length + url.length + Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length, 0);
    if (size > this.options.maxTaskBytes) {
      throw fail(`Job "${jobName}": the task is ${size} bytes, over the ${this.options.maxTaskBytes}-byte limit (maxTaskBytes). Store large data elsewhere and pass a reference.`);
    }

    const parent = this.queuePath(queue.name);
    const task: ITask = {
      name: `${parent}/tasks/${taskIdFor(jobName, idempotencyKey)}`,
      httpRequest: {
        httpMethod: 'POST',
        url,
        headers,
        body,
        oidcToken: { serviceAccountEmail: this.options.serviceAccountEmail, audience: this.options.auth.audience },
      },
    };
    if (scheduleTime) task.scheduleTime = toProtoTimestamp(scheduleTime.getTime());
    if (deadline !== undefined) task.dispatchDeadline = toProtoDuration(deadline * 1000);
    return { jobName, queue, parent, task, idempotencyKey, scheduleTime };
  }

  /** The task's headers: the content type, and the task signature when signing is on. */
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
      throw fail(`The schedule time ${new Date(at).toISOString()} is more than 30 days ahead, Cloud Tasks' limit. Schedule it later (e.g. from a periodic job).`);
    }
    return new Date(at);
  }

  private async create(prepared: PreparedTask): Promise<EnqueuedJob> {
    const { jobName, queue, parent, task, idempotencyKey, scheduleTime } = prepared;
    const result = (duplicate: boolean): EnqueuedJob => ({ taskName: task.name!, jobName, queue: queue.name, idempotencyKey, scheduleTime, duplicate });
    const client = await this.clients.client();
    for (let attempt = 1; ; attempt++) {
      try {
        await client.createTask({ parent, task });
        const job = result(false);
        this.events.emit({ type: 'enqueued', jobName, queue: queue.name, taskName: job.taskName, idempotencyKey });
        return job;
      } catch (error) {
        const code = grpcCode(error);
        if (code === GrpcStatus.ALREADY_EXISTS) {
          // NOTE: after a transient failure our own first try may have landed; that is not a duplicate to the caller.
          const job = result(attempt === 1);
          this.events.emit({ type: job.duplicate ? 'enqueue-duplicate' : 'enqueued', jobName, queue: queue.name, taskName: job.taskName, idempotencyKey });
          return job;
        }
        if (code !== undefined && TRANSIENT.has(code) && attempt < CREATE_ATTEMPTS) {
          const wait = 100 * 2 ** (attempt - 1) * (0.5 + Math.random());
          this.logger.warn({ msg: 'createTask failed, retrying', jobName, queue: queue.name, code, attempt, waitMs: Math.round(wait) });
          await new Promise((r) => setTimeout(r, wait));
          continue;
        }
        const failure = { jobName, idempotencyKey, taskName: task.name!, taskMayExist: false };
        if (code === undefined || TRANSIENT.has(code)) {
          // NOTE: a call that timed out or lost its connection may have created the task: ask before reporting failure.
          const found = await this.taskExists(client, task.name!);
          if (found === true) {
            this.events.emit({ type: 'enqueued', jobName, queue: queue.name, taskName: task.name!, idempotencyKey });
            return result(false);
          }
          failure.taskMayExist = found === undefined;
        }
        throw new EnqueueError(
          `Could not enqueue "${jobName}" into ${parent}: ${(error as Error).message}${missingQueue(code, error) ? ' (does the queue exist? create it with the queue sync CLI, or QueueProvisioner.sync())' : ''}${failure.taskMayExist ? ' (the task may exist: re-add with the same idempotencyKey to be sure, it cannot create a second one)' : ''}`,
          failure,
          { cause: error },
        );
      }
    }
  }

  /** Whether the task exists: true, false, or undefined when Cloud Tasks cannot tell now. */
  private async taskExists(client: CloudTasksClient, name: string): Promise<boolean | undefined> {
    try {
      await client.getTask({ name, responseView: 'BASIC' }, { timeout: 5_000, retry: null });
      return true;
    } catch (error) {
      return grpcCode(error) === GrpcStatus.NOT_FOUND ? false : undefined;
    }
  }
}

/**
 * Cloud Tasks answers a task created in a missing queue with 9 FAILED_PRECONDITION "Queue does not exist." (or "The
 * queue no longer exists…" for a recently deleted one); some emulators answer 5 NOT_FOUND.
 */
function missingQueue(code: number | undefined, error: unknown): boolean {
  if (code === GrpcStatus.NOT_FOUND) return true;
  return code === GrpcStatus.FAILED_PRECONDITION && /queue does not exist|queue no longer exists/i.test((error as Error).message);
}

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}
