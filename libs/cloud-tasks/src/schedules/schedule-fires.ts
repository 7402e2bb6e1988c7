import { Injectable, Logger } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { NO_HANDLER_FOR_JOB } from '../cloud-tasks.messages.js';
import type { JobOutcome } from '../delivery/job-outcome.js';
import { EnqueueValidationError } from '../errors/enqueue.error.js';
import { JobHandlerRegistry } from '../handlers/job-handler.registry.js';
import { JobRequestRefusal } from '../http/job-request.refusal.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { JobQueueService } from '../queue/job-queue.service.js';
import { CloudSchedulerHeaders } from './schedule.constants.js';
import {
  BAD_FIRE_BODY,
  BAD_SCHEDULE_TIME_HEADER,
  MISSING_SCHEDULER_JOB_HEADER,
  NO_SCHEDULE_FOR_JOB,
  UNKNOWN_SCHEDULER_JOB,
} from './schedule.messages.js';
import type { ResolvedSchedule } from './schedule.rules.js';

/** A Cloud Scheduler fire the job endpoint accepted: which schedule, and which tick. */
export interface ScheduleFire {
  schedule: ResolvedSchedule;
  scheduleTime: Date;
}

/** What the body of a schedule's Cloud Scheduler job holds: the schedule id and the data each fire enqueues. */
export interface FireBody {
  schedule: string;
  data: unknown;
}

/** The body the sync gives a schedule's Cloud Scheduler job (and the endpoint expects back). */
export function fireBodyOf(schedule: ResolvedSchedule): Buffer {
  const body: FireBody = { schedule: schedule.id, data: schedule.data };
  return Buffer.from(JSON.stringify(body));
}

/** True when the request is a Cloud Scheduler fire (`X-CloudScheduler: true`) rather than a Cloud Tasks task. */
export function isSchedulerFire(headers: IncomingHttpHeaders): boolean {
  return header(headers, CloudSchedulerHeaders.Marker) === 'true';
}

/**
 * Turns Cloud Scheduler fires into tasks. A fire (OIDC-verified like a task) must name, in `X-CloudScheduler-JobName`,
 * a schedule configured for the URL's job (400 otherwise, as a wrong queue header is), carry its tick in
 * `X-CloudScheduler-ScheduleTime`, and the body the sync gave its Cloud Scheduler job. It then enqueues one task of
 * the job through `JobQueueService.addScheduled` (named after the schedule and the tick: a fire delivered twice is
 * one task) and answers 200 once the task exists; 500 when it could not be enqueued, so Cloud Scheduler retries.
 */
@Injectable()
export class ScheduleFires {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly registry: JobHandlerRegistry,
    private readonly jobs: JobQueueService,
  ) {}

  /** The schedule and tick of a fire of `jobName`, or the refusal (404 unknown job, 400 unknown schedule or tick). */
  route(jobName: string, headers: IncomingHttpHeaders): ScheduleFire {
    if (!this.registry.get(jobName)) throw new JobRequestRefusal(404, NO_HANDLER_FOR_JOB(jobName.slice(0, 100)));
    const schedules = (this.options.schedules ?? []).filter((s) => s.job === jobName);
    if (!schedules.length) throw new JobRequestRefusal(400, NO_SCHEDULE_FOR_JOB(jobName));
    const id = header(headers, CloudSchedulerHeaders.JobName);
    if (!id) throw new JobRequestRefusal(400, MISSING_SCHEDULER_JOB_HEADER);
    const schedule = schedules.find((s) => s.id === id);
    if (!schedule) throw new JobRequestRefusal(400, UNKNOWN_SCHEDULER_JOB(id.slice(0, 100), jobName, schedules.map((s) => s.id)));
    const time = header(headers, CloudSchedulerHeaders.ScheduleTime) ?? '';
    const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/i.test(time) ? Date.parse(time) : NaN;
    if (Number.isNaN(at)) throw new JobRequestRefusal(400, BAD_SCHEDULE_TIME_HEADER);
    return { schedule, scheduleTime: new Date(at) };
  }

  /** Enqueues the fire's task; resolves the answer for Cloud Scheduler. */
  async enqueue(fire: ScheduleFire, body: Buffer): Promise<JobOutcome> {
    const { schedule, scheduleTime } = fire;
    const fields = { msg: 'schedule fire', schedule: schedule.id, jobName: schedule.job, scheduleTime: scheduleTime.toISOString() };
    const data = this.dataOf(schedule, body);
    if (!data.ok) {
      this.logger.error({ ...fields, error: data.error });
      return { kind: 'dead', status: 400, body: { error: data.error, retryable: false }, error: data.error };
    }
    try {
      const job = await this.jobs.addScheduled({ id: schedule.id, scheduleTime }, schedule.job, data.value);
      this.logger.log({ ...fields, taskName: job.taskName, duplicate: job.duplicate });
      const answer = { success: true, schedule: schedule.id, scheduleTime: scheduleTime.toISOString(), taskName: job.taskName, duplicate: job.duplicate };
      return { kind: job.duplicate ? 'duplicate' : 'success', status: 200, body: answer, result: answer };
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      this.logger.error({ ...fields, error: message });
      // NOTE: a job add() refuses before any call will be refused on every retry: 400 says so in Cloud Scheduler's status.
      if (error instanceof EnqueueValidationError) return { kind: 'dead', status: 400, body: { error: message, retryable: false }, error: message };
      return { kind: 'retry', status: 500, body: { error: `Could not enqueue the job of this fire (${message}); Cloud Scheduler retries per the schedule's retry settings.`, retryable: true }, error: message };
    }
  }

  private dataOf(schedule: ResolvedSchedule, body: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { ok: false, error: BAD_FIRE_BODY(schedule.id, 'not JSON') };
    }
    const fire = parsed as Partial<FireBody> | null;
    if (!fire || typeof fire !== 'object' || Array.isArray(fire) || !('data' in fire)) return { ok: false, error: BAD_FIRE_BODY(schedule.id, 'expected { schedule, data }') };
    if (fire.schedule !== schedule.id) return { ok: false, error: BAD_FIRE_BODY(schedule.id, `it names schedule ${JSON.stringify(fire.schedule)}`) };
    return { ok: true, value: fire.data };
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
