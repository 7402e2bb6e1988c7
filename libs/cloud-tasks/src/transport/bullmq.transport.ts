import { Logger } from '@nestjs/common';
import type { Job, Queue, Worker } from 'bullmq';
import type { JobPipeline } from '../delivery/job-pipeline.js';
import type { JobHandlerRegistry } from '../handlers/job-handler.registry.js';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import type { BullmqTransportOptions } from './bullmq-transport.options.js';
import type { JobTransport, PreparedJob, SentJob } from './job-transport.js';
import { retryDelayMs } from './retry-schedule.js';
import { TASK_SIGNATURE_HEADER } from '../auth/task-signature.js';

type BullMq = typeof import('bullmq');

/** What a BullMQ job of this transport carries: the envelope as JSON text, delivered byte for byte. */
interface BullmqJobData {
  envelope: string;
  /** The trace headers `add()` wrote (`traceparent`…), when an OpenTelemetry SDK is on. */
  trace?: Record<string, string>;
}

/** Task headers that are not trace context (they stay out of the BullMQ job). */
const NOT_TRACE = new Set(['content-type', TASK_SIGNATURE_HEADER.toLowerCase()]);

/** BullMQ job ids may not be plain integers: every id of this transport starts with a letter. */
const jobIdOf = (taskId: string) => `j${taskId}`;

/**
 * Jobs through BullMQ over Redis, for a migration job by job (and a rollback in one setting): `add()` enqueues into a
 * BullMQ queue named after the job's queue config, and a worker in the app runs the same `@JobHandler` processors
 * through the same pipeline as the job endpoint (validation, idempotency, dead letters, events, `JobContext`). Attempts
 * and backoff come from the queue config, so the final attempt is detected as on Cloud Tasks. `bullmq` is loaded only
 * when this transport is configured (an optional peer dependency).
 *
 * While configured, a worker consumes the queue of every job this app handles, whichever transport the job is routed
 * to now: a job routed back to Cloud Tasks leaves nothing behind in BullMQ.
 */
export class BullmqTransport implements JobTransport {
  readonly name = 'bullmq' as const;
  private readonly logger = new Logger('CloudTasks');
  private bull?: Promise<BullMq>;
  private readonly queues = new Map<string, Promise<Queue>>();
  private readonly workers: Worker[] = [];

  constructor(
    private readonly options: BullmqTransportOptions,
    private readonly pipeline: JobPipeline,
    private readonly registry: JobHandlerRegistry,
    private readonly queueConfigs: Record<string, QueueConfig>,
  ) {}

  async send(job: PreparedJob): Promise<SentJob> {
    const queue = await this.queueOf(job.queue);
    const jobId = jobIdOf(job.taskId);
    if (await queue.getJob(jobId)) return { duplicate: true };
    const { maxAttempts } = job.queue.retryConfig;
    const trace = Object.fromEntries(Object.entries(job.headers).filter(([name]) => !NOT_TRACE.has(name.toLowerCase())));
    const data: BullmqJobData = Object.keys(trace).length ? { envelope: job.body.toString('utf8'), trace } : { envelope: job.body.toString('utf8') };
    await queue.add(job.jobName, data, {
      jobId,
      delay: job.scheduleTime ? Math.max(0, job.scheduleTime.getTime() - Date.now()) : undefined,
      attempts: maxAttempts === -1 ? Number.MAX_SAFE_INTEGER : maxAttempts,
      backoff: { type: 'cloud-tasks' },
      // NOTE: a finished job's id is kept an hour, as Cloud Tasks refuses a task name for about an hour after its task:
      // the same key re-added meanwhile is a duplicate, not a second job.
      removeOnComplete: { age: 3_600 },
      removeOnFail: { age: 7 * 86_400 },
    });
    return { duplicate: false };
  }

  /** Starts a worker on the queue of every job this app has a handler for. */
  async start(): Promise<void> {
    const bull = await this.load();
    for (const [jobName, config] of Object.entries(this.queueConfigs)) {
      if (!this.registry.get(jobName)) continue;
      const worker = new bull.Worker<BullmqJobData>(config.name, (job) => this.process(job, config), {
        connection: this.options.connection,
        prefix: this.options.prefix,
        concurrency: config.rateLimits?.maxConcurrentDispatches ?? this.options.concurrency ?? 10,
        ...(config.rateLimits?.maxDispatchesPerSecond ? { limiter: { max: config.rateLimits.maxDispatchesPerSecond, duration: 1000 } } : {}),
        settings: { backoffStrategy: (attemptsMade: number) => retryDelayMs(config, attemptsMade - 1) },
        // NOTE: a worker that dies mid-job leaves it stalled; BullMQ's default fails it for good on the second stall,
        // with no dead letter. A crash is one lost attempt on Cloud Tasks: allow as many stalls as the queue has attempts.
        maxStalledCount: config.retryConfig.maxAttempts === -1 ? Number.MAX_SAFE_INTEGER : config.retryConfig.maxAttempts,
      });
      worker.on('error', (error) => this.logger.error({ msg: 'BullMQ worker error', queue: config.name, error: error.message }));
      this.workers.push(worker);
    }
    this.logger.log({ msg: 'BullMQ workers started', queues: this.workers.map((w) => w.name) });
  }

  /** Jobs BullMQ still holds per queue (waiting, delayed, active, prioritized): zero everywhere means it is drained. */
  async counts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const config of Object.values(this.queueConfigs)) {
      const byState = await (await this.queueOf(config)).getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
      counts[config.name] = Object.values(byState).reduce((sum, n) => sum + n, 0);
    }
    return counts;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map(async (q) => (await q).close()));
  }

  /** One BullMQ job, through the pipeline; a non-2xx answer the job endpoint would retry makes BullMQ retry it. */
  private async process(job: Job<BullmqJobData>, config: QueueConfig): Promise<unknown> {
    const outcome = await this.pipeline.deliver({
      jobName: job.name,
      body: Buffer.from(job.data.envelope, 'utf8'),
      queueName: config.name,
      taskName: job.id ?? 'unknown',
      retryCount: job.attemptsMade,
      eta: new Date(job.timestamp + (job.opts.delay ?? 0)),
      request: { transport: 'bullmq', job },
      headers: job.data.trace,
    });
    // NOTE: a job dead on its final attempt has its dead letter; retrying it in BullMQ would only repeat that.
    if ((outcome.status >= 200 && outcome.status < 300) || outcome.kind === 'dead') return outcome.body;
    throw new Error(outcome.error ?? `job answered ${outcome.status}`);
  }

  /** One BullMQ queue per queue config, created once even when many sends ask for it at the same time. */
  private queueOf(config: QueueConfig): Promise<Queue> {
    let queue = this.queues.get(config.name);
    if (!queue) {
      queue = this.load().then((bull) => new bull.Queue(config.name, { connection: this.options.connection, prefix: this.options.prefix }));
      this.queues.set(config.name, queue);
    }
    return queue;
  }

  private load(): Promise<BullMq> {
    this.bull ??= import('bullmq').catch((error: unknown) => {
      throw new Error(`The bullmq transport needs the bullmq package (npm i bullmq): ${(error as Error).message}`);
    });
    return this.bull;
  }
}
