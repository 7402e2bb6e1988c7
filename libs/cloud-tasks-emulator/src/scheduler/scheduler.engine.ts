import { randomUUID } from 'node:crypto';
import type { FireRecord } from '../attempts/attempt-record.interface.js';
import { parseLocationName } from '../core/resource-names.js';
import { backoffMs } from '../core/retry.policy.js';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../core/rpc.error.js';
import { isSuccess } from '../dispatch/attempt-outcome.js';
import type { IdTokenSource } from '../dispatch/dispatch.loop.js';
import type { DispatchResult, Dispatcher } from '../dispatch/dispatcher.interface.js';
import type { JobPb } from '../grpc/scheduler-proto.types.js';
import { DueScheduler } from '../time/due.scheduler.js';
import type { VirtualClock } from '../time/virtual.clock.js';
import { resolveJobSpec } from './job-spec.js';
import type { JobExecutionState, JobRecord } from './job.record.js';
import { SchedulerHeaders } from './scheduler.constants.js';
import { jobSourceToJson, jsonToJobSource } from '../persistence/state.codec.js';
import type { PersistedJob, StateSink } from '../persistence/state.types.js';

/** How an execution ended: acknowledged (2xx), or failed with no retry left before the next tick. */
export type ExecutionOutcome = 'succeeded' | 'failed';

/** One finished execution of a job (the scheduled or forced run and its retries). Times are virtual epoch ms. */
export interface JobExecution {
  jobName: string;
  jobId: string;
  scheduleTime: number;
  forced: boolean;
  outcome: ExecutionOutcome;
  attempts: number;
}

export interface SchedulerEngineOptions {
  clock: VirtualClock;
  dispatcher: Dispatcher;
  tokens: IdTokenSource;
  newJobId?: () => string;
  onAttempt(record: FireRecord): void;
  onExecution(execution: JobExecution): void;
  /** Hears every change that must survive a restart (the data directory's journal). */
  state?: Pick<StateSink, 'jobChanged' | 'jobDeleted'>;
}

const JOB_RE = /^(projects\/[A-Za-z0-9.:-]+\/locations\/[A-Za-z0-9-]+)\/jobs\/([A-Za-z0-9_-]{1,500})$/;
export const JOB_NAME_MESSAGE = 'Job name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/jobs/<JOB_ID>".';

/** Validates a job name, throwing INVALID_ARGUMENT. */
export function parseJobName(name: string | null | undefined): { name: string; parent: string; jobId: string } {
  const match = name ? JOB_RE.exec(name) : null;
  if (!match) throw invalidArgument(JOB_NAME_MESSAGE);
  return { name: name!, parent: match[1], jobId: match[2] };
}

/**
 * The Cloud Scheduler side of the emulator: jobs with the operations of `google.cloud.scheduler.v1.CloudScheduler`,
 * fired on their cron in their time zone on the virtual clock (one timer for all jobs), retried per their retry
 * config until the next tick, never two executions of a job at once (a tick that comes while one runs waits for it).
 */
export class SchedulerEngine {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly scheduler: DueScheduler;
  private closed = false;
  /** Attempts in flight. */
  inFlight = 0;

  constructor(private readonly opts: SchedulerEngineOptions) {
    this.scheduler = new DueScheduler(opts.clock);
  }

  listJobs(parent: string): JobRecord[] {
    parseLocationName(parent);
    const prefix = `${parent}/jobs/`;
    return [...this.jobs.values()].filter((j) => j.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  hasJob(name: string): boolean {
    return this.jobs.has(name);
  }

  getJob(name: string): JobRecord {
    parseJobName(name);
    const job = this.jobs.get(name);
    if (!job) throw notFound();
    return job;
  }

  createJob(parent: string, pb: JobPb | null | undefined): JobRecord {
    parseLocationName(parent);
    if (!pb) throw invalidArgument('Job is required.');
    const name = pb.name || `${parent}/jobs/${(this.opts.newJobId ?? randomJobId)()}`;
    const parts = parseJobName(name);
    if (parts.parent !== parent) throw invalidArgument(`The job name ('${name}') must be in the location of the request ('${parent}').`);
    if (this.jobs.has(name)) throw alreadyExists();
    const now = this.opts.clock.now();
    const job: JobRecord = {
      name,
      id: parts.jobId,
      parent,
      spec: resolveJobSpec(pb),
      state: 'ENABLED',
      userUpdateTime: now,
      cursor: now,
      deleted: false,
      gen: 0,
    };
    this.jobs.set(name, job);
    this.arm(job);
    return this.changed(job);
  }

  /** UpdateJob: the masked (or all mutable) fields; a new schedule or time zone counts from now. */
  updateJob(pb: JobPb | null | undefined, maskPaths?: readonly string[]): JobRecord {
    if (!pb) throw invalidArgument('Job is required.');
    const job = this.getJob(pb.name ?? '');
    const spec = resolveJobSpec(pb, job.spec, maskPaths);
    const rescheduled = spec.schedule.expression !== job.spec.schedule.expression || spec.schedule.timeZone !== job.spec.schedule.timeZone;
    job.spec = spec;
    job.userUpdateTime = this.opts.clock.now();
    if (rescheduled) {
      job.cursor = this.opts.clock.now();
      if (!job.current) this.arm(job);
    }
    return this.changed(job);
  }

  deleteJob(name: string): void {
    const job = this.getJob(name);
    job.deleted = true;
    job.gen++;
    job.current = undefined;
    this.jobs.delete(name);
    this.opts.state?.jobDeleted(name);
  }

  pauseJob(name: string): JobRecord {
    const job = this.getJob(name);
    if (job.state !== 'ENABLED') throw failedPrecondition(`Job ${name} is ${job.state}: only an ENABLED job can be paused.`);
    job.state = 'PAUSED';
    // NOTE: an attempt in flight completes; no retry and no tick follow until ResumeJob.
    job.current = undefined;
    this.arm(job);
    return this.changed(job);
  }

  resumeJob(name: string): JobRecord {
    const job = this.getJob(name);
    if (job.state !== 'PAUSED') throw failedPrecondition(`Job ${name} is ${job.state}: only a PAUSED job can be resumed.`);
    job.state = 'ENABLED';
    job.cursor = this.opts.clock.now();
    this.arm(job);
    return this.changed(job);
  }

  /** RunJob: an execution now, whatever the schedule and state; it supersedes one in progress. */
  runJob(name: string): JobRecord {
    const job = this.getJob(name);
    if (this.closed) return job;
    this.start(job, this.opts.clock.now(), true);
    return job;
  }

  /** The next attempt's time: a waiting retry, else the next tick (none while paused). */
  nextRunTime(job: JobRecord): number | undefined {
    if (job.current?.retryAt !== undefined) return job.current.retryAt;
    return job.state === 'ENABLED' ? job.nextTick : undefined;
  }

  /** The jobs to keep across a restart (an execution in progress is not kept: the next tick runs after a restart). */
  exportJobs(): Map<string, PersistedJob> {
    return new Map([...this.jobs.values()].map((job) => [job.name, toPersisted(job)]));
  }

  /** Puts back the jobs of a previous run; ticks missed while the emulator was down are not run. */
  restore(jobs: ReadonlyMap<string, PersistedJob>): void {
    const now = this.opts.clock.now();
    for (const p of jobs.values()) {
      const { parent, jobId } = parseJobName(p.name);
      const job: JobRecord = {
        name: p.name,
        id: jobId,
        parent,
        spec: resolveJobSpec(jsonToJobSource(p.source)),
        state: p.state,
        userUpdateTime: p.userUpdateTime,
        cursor: Math.max(p.cursor, now),
        lastAttemptTime: p.lastAttemptTime,
        lastStatus: p.lastStatus,
        deleted: false,
        gen: 0,
      };
      this.jobs.set(job.name, job);
      this.arm(job);
    }
  }

  reset(): void {
    for (const job of this.jobs.values()) {
      job.deleted = true;
      job.gen++;
    }
    this.jobs.clear();
  }

  close(): void {
    this.closed = true;
    this.scheduler.close();
  }

  private arm(job: JobRecord): void {
    const gen = ++job.gen;
    job.nextTick = undefined;
    if (job.state !== 'ENABLED' || job.deleted || this.closed) return;
    const tick = job.spec.schedule.next(job.cursor);
    if (tick === undefined) return;
    job.nextTick = tick;
    this.scheduler.at(tick, () => {
      // NOTE: a tick that comes while an execution runs waits for it (re-armed when it ends), as the service delays it.
      if (job.gen === gen && !job.current) this.start(job, tick, false);
    });
  }

  private start(job: JobRecord, scheduleTime: number, forced: boolean): void {
    if (!forced) {
      job.cursor = scheduleTime;
      job.nextTick = undefined;
    }
    const execution: JobExecutionState = { scheduleTime, forced, attempts: 0 };
    job.current = execution;
    this.attempt(job, execution);
    this.changed(job);
  }

  private attempt(job: JobRecord, execution: JobExecutionState): void {
    const now = this.opts.clock.now();
    const realTime = this.opts.clock.real();
    execution.attempts++;
    execution.firstAttemptTime ??= now;
    execution.retryAt = undefined;
    job.lastAttemptTime = now;
    const { target, attemptDeadlineMs } = job.spec;
    const token = target.oidc ? this.opts.tokens.idToken(target.oidc.serviceAccountEmail, target.oidc.audience) : undefined;
    const attempt = execution.attempts;
    this.inFlight++;
    let settled = false;
    const handle = this.opts.dispatcher.send(
      { url: target.uri, method: target.method, headers: fireHeaders(job, execution.scheduleTime, token), body: target.body },
      (result) => {
        settled = true;
        this.inFlight--;
        if (this.closed) return;
        this.opts.onAttempt({
          kind: 'job',
          jobName: job.name,
          jobId: job.id,
          url: target.uri,
          scheduleTime: execution.scheduleTime,
          forced: execution.forced,
          attempt,
          retryCount: attempt - 1,
          virtualTime: now,
          realTime,
          status: result.status,
          durationMs: result.durationMs,
        });
        this.complete(job, execution, result);
      },
    );
    this.scheduler.at(now + attemptDeadlineMs, () => {
      if (!settled) handle.abort();
    });
  }

  private complete(job: JobRecord, execution: JobExecutionState, result: DispatchResult): void {
    if (job.deleted) return;
    job.lastStatus = { status: result.status, error: result.error };
    this.changed(job);
    if (job.current !== execution) return;
    if (isSuccess(result.status)) return this.finish(job, execution, 'succeeded');
    const now = this.opts.clock.now();
    const retry = job.spec.retry;
    const retriesMade = execution.attempts - 1;
    const countReached = retriesMade >= retry.retryCount;
    const durationReached = retry.maxRetryDurationMs <= 0 || now - execution.firstAttemptTime! >= retry.maxRetryDurationMs;
    const retryAt = now + backoffMs(retry, retriesMade);
    const nextTick = job.spec.schedule.next(job.cursor);
    // NOTE: no retry with retry_count 0, none past both limits, and none at or after the next tick, which runs instead.
    if (retry.retryCount === 0 || (countReached && durationReached) || job.state !== 'ENABLED' || (nextTick !== undefined && retryAt >= nextTick)) {
      return this.finish(job, execution, 'failed');
    }
    execution.retryAt = retryAt;
    const gen = job.gen;
    this.scheduler.at(retryAt, () => {
      if (job.gen === gen && job.current === execution && job.state === 'ENABLED') this.attempt(job, execution);
    });
  }

  private changed(job: JobRecord): JobRecord {
    this.opts.state?.jobChanged(toPersisted(job));
    return job;
  }

  private finish(job: JobRecord, execution: JobExecutionState, outcome: ExecutionOutcome): void {
    job.current = undefined;
    this.opts.onExecution({
      jobName: job.name,
      jobId: job.id,
      scheduleTime: execution.scheduleTime,
      forced: execution.forced,
      outcome,
      attempts: execution.attempts,
    });
    this.arm(job);
  }
}

/** `X-CloudScheduler-ScheduleTime`: RFC 3339 in UTC ("Zulu"), whole seconds unless the time has a fraction (RunJob). */
export function scheduleTimeHeader(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace('.000Z', 'Z');
}

/** The headers of one attempt: the job's (User-Agent included), the X-CloudScheduler set, then the OIDC token. */
function fireHeaders(job: JobRecord, scheduleTime: number, idToken: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { ...job.spec.target.headers };
  headers[SchedulerHeaders.CloudScheduler] = 'true';
  headers[SchedulerHeaders.JobName] = job.id;
  headers[SchedulerHeaders.ScheduleTime] = scheduleTimeHeader(scheduleTime);
  if (idToken) headers.Authorization = `Bearer ${idToken}`;
  return headers;
}

function toPersisted(job: JobRecord): PersistedJob {
  return {
    name: job.name,
    source: jobSourceToJson(job.spec.source),
    state: job.state,
    userUpdateTime: job.userUpdateTime,
    cursor: job.cursor,
    lastAttemptTime: job.lastAttemptTime,
    lastStatus: job.lastStatus,
  };
}

function randomJobId(): string {
  return randomUUID().replaceAll('-', '').slice(0, 20);
}
