import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { JobPipeline, NoHandlerError } from '../delivery/job-pipeline.js';
import type { JobOutcome } from '../delivery/job-outcome.js';
import type { JobTransport, PreparedJob, SentJob } from './job-transport.js';
import { mayRetry, retryDelayMs } from './retry-schedule.js';

/** One attempt the inline transport made, for assertions. */
export interface InlineAttempt {
  jobName: string;
  taskName: string;
  /** 1 for the first. */
  attempt: number;
  /** The status the job endpoint would have answered (200, 202, 409, 500, 503). */
  status: number;
  kind: JobOutcome['kind'];
  /** On the transport's clock. */
  at: number;
}

interface Pending {
  job: PreparedJob;
  dueAt: number;
  retryCount: number;
}

/** Names seen, to answer a re-added key as Cloud Tasks does (it refuses a task name for a while after the task). */
const MAX_REMEMBERED_NAMES = 100_000;

/**
 * Runs jobs in this process, through the same pipeline as the job endpoint (payload validation, idempotency, dead
 * letters, events, `JobContext`), for tests and quick local runs. A job added without a delay starts at once (not in
 * `add()`'s own call); delays and retry backoffs (the queue's retry config) follow the transport's clock, which a test
 * moves with {@link advance}; {@link drain} waits until nothing is running or due, moving the clock to each next due
 * job unless told not to. Only in local mode.
 *
 * @example
 * const jobs = app.get(InlineTransport);
 * await app.get(JobQueueService).add('calendar-sync', { userId: 'u1' }, { delay: 3600 });
 * await jobs.drain(); // the clock jumps an hour, the job runs
 * expect(jobs.attempts.map((a) => a.status)).toEqual([200]);
 */
@Injectable()
export class InlineTransport implements JobTransport, OnApplicationShutdown {
  readonly name = 'inline' as const;
  private readonly logger = new Logger('CloudTasks');
  private readonly queue: Pending[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly names = new Set<string>();
  private offsetMs = 0;
  private timer?: NodeJS.Timeout;
  private closed = false;
  /** Every attempt made, in order. */
  readonly attempts: InlineAttempt[] = [];

  constructor(private readonly pipeline: JobPipeline) {}

  /** The transport's time: real time plus what {@link advance} added. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Jobs waiting for their time (delayed, or backing off before a retry). */
  get pendingCount(): number {
    return this.queue.length;
  }

  async send(job: PreparedJob): Promise<SentJob> {
    if (this.names.has(job.taskName)) return { duplicate: true };
    if (this.names.size >= MAX_REMEMBERED_NAMES) this.names.delete(this.names.values().next().value!);
    this.names.add(job.taskName);
    this.schedule({ job, dueAt: job.scheduleTime?.getTime() !== undefined ? job.scheduleTime.getTime() + this.offsetMs : this.now(), retryCount: 0 });
    return { duplicate: false };
  }

  /** Moves the clock forward and starts what became due. */
  advance(ms: number): void {
    this.offsetMs += ms;
    this.startDue();
  }

  /**
   * Resolves once nothing runs and nothing is due; with `advanceTime` (default), also moves the clock to each next
   * delayed or backing-off job, until none is left. Rejects after `timeoutMs` of real time.
   */
  async drain({ advanceTime = true, timeoutMs = 10_000 }: { advanceTime?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      this.startDue();
      if (this.running.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(this.running), new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, until - Date.now()))))]);
        clearTimeout(timer);
      } else if (advanceTime && this.queue.length > 0) {
        this.offsetMs += Math.max(0, Math.min(...this.queue.map((p) => p.dueAt)) - this.now());
      } else return;
      if (Date.now() > until) throw new Error(`InlineTransport.drain(): jobs still running or pending after ${timeoutMs} ms`);
    }
  }

  onApplicationShutdown(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(item: Pending): void {
    this.queue.push(item);
    this.startDue();
  }

  private startDue(): void {
    if (this.closed) return;
    const now = this.now();
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].dueAt > now) continue;
      const [item] = this.queue.splice(i, 1);
      const run = this.attempt(item).finally(() => this.running.delete(run));
      this.running.add(run);
    }
    this.armTimer();
  }

  /** A real timer for the next due job, so a local run without a test driving the clock still gets its delayed jobs. */
  private armTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const next = Math.min(...this.queue.map((p) => p.dueAt));
    this.timer = setTimeout(() => this.startDue(), Math.min(2 ** 31 - 1, Math.max(0, next - this.now())));
    this.timer.unref();
  }

  private async attempt(item: Pending): Promise<void> {
    // NOTE: never inside add()'s own call stack: a producer sees add() resolve before its job runs, as with Cloud Tasks.
    await new Promise((resolve) => setImmediate(resolve));
    const { job, retryCount } = item;
    let outcome: JobOutcome;
    try {
      outcome = await this.pipeline.deliver({ jobName: job.jobName, body: job.body, queueName: job.queue.name, taskName: job.taskId, retryCount, eta: new Date(item.dueAt - this.offsetMs), request: { transport: 'inline', job: job.envelope }, headers: job.headers });
    } catch (error) {
      if (!(error instanceof NoHandlerError)) throw error;
      this.logger.warn({ msg: 'inline job without a handler: kept until one is deployed (retried with backoff)', jobName: job.jobName });
      outcome = { kind: 'retry', status: 404, body: { error: error.message, retryable: true }, error: error.message };
    }
    this.attempts.push({ jobName: job.jobName, taskName: job.taskId, attempt: retryCount + 1, status: outcome.status, kind: outcome.kind, at: this.now() });
    if (outcome.status >= 200 && outcome.status < 300) return;
    // NOTE: as Cloud Tasks: every non-2xx is retried until the queue's attempts run out (a per-job cap is the
    // pipeline's: past it, the delivery is answered as a dead duplicate, 202, which ends it).
    if (!mayRetry(job.queue, retryCount + 1)) return;
    this.schedule({ job, dueAt: this.now() + retryDelayMs(job.queue, retryCount), retryCount: retryCount + 1 });
  }
}
