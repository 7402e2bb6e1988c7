import type { AttemptStatus } from '../attempts/attempt-record.interface.js';
import { msToDuration, msToTimestamp } from '../core/durations.js';
import { isSuccess, responseStatus } from '../dispatch/attempt-outcome.js';
import type { JobRecord } from '../scheduler/job.record.js';
import { SchedulerDefaults } from '../scheduler/scheduler.constants.js';
import type { SchedulerEngine } from '../scheduler/scheduler.engine.js';
import { paginate } from './pagination.js';
import type { FieldMaskPb, HttpMethodPb, StatusPb } from './proto.types.js';
import type { RpcMethods } from './rpc.methods.js';
import type { HttpTargetPb, JobPb } from './scheduler-proto.types.js';

interface NameRequest {
  name?: string;
}

/** The RPCs of `google.cloud.scheduler.v1.CloudScheduler` as plain functions, shared by the gRPC and REST transports. */
export function cloudSchedulerMethods(engine: SchedulerEngine): RpcMethods {
  const toPb = (job: JobRecord) => jobToPb(job, engine.nextRunTime(job));
  return {
    ListJobs: (req: { parent?: string; pageSize?: number; pageToken?: string }) => {
      const jobs = engine.listJobs(req.parent ?? '');
      const { page, nextPageToken } = paginate(jobs, (j) => j.name, req.pageSize, req.pageToken, SchedulerDefaults.maxJobsPageSize);
      return { jobs: page.map(toPb), nextPageToken };
    },
    GetJob: (req: NameRequest) => toPb(engine.getJob(req.name ?? '')),
    CreateJob: (req: { parent?: string; job?: JobPb }) => toPb(engine.createJob(req.parent ?? '', req.job)),
    UpdateJob: (req: { job?: JobPb; updateMask?: FieldMaskPb }) => toPb(engine.updateJob(req.job, req.updateMask?.paths ?? undefined)),
    DeleteJob: (req: NameRequest) => {
      engine.deleteJob(req.name ?? '');
      return {};
    },
    PauseJob: (req: NameRequest) => toPb(engine.pauseJob(req.name ?? '')),
    ResumeJob: (req: NameRequest) => toPb(engine.resumeJob(req.name ?? '')),
    RunJob: (req: NameRequest) => toPb(engine.runJob(req.name ?? '')),
  };
}

/**
 * A job as the service returns it: the retry config and attempt deadline with their defaults filled in, the headers
 * with the User-Agent the service sends, `user_update_time` to the second, `schedule_time` = the next attempt (a
 * waiting retry or the next tick; none while paused), `status` = the last attempt's outcome.
 */
export function jobToPb(job: JobRecord, nextRunTime: number | undefined): JobPb {
  const { spec } = job;
  const { retry, target } = spec;
  const httpTarget: HttpTargetPb = { uri: target.uri, httpMethod: target.method as HttpMethodPb, headers: target.headers };
  if (target.body) httpTarget.body = target.body;
  if (target.oidc) httpTarget.oidcToken = { ...target.oidc };
  else if (target.oauth) httpTarget.oauthToken = { ...target.oauth };
  const pb: JobPb = {
    name: job.name,
    httpTarget,
    schedule: spec.schedule.expression,
    timeZone: spec.schedule.timeZone,
    userUpdateTime: { seconds: Math.floor(job.userUpdateTime / 1000), nanos: 0 },
    state: job.state,
    retryConfig: {
      retryCount: retry.retryCount,
      maxRetryDuration: msToDuration(retry.maxRetryDurationMs),
      minBackoffDuration: msToDuration(retry.minBackoffMs),
      maxBackoffDuration: msToDuration(retry.maxBackoffMs),
      maxDoublings: retry.maxDoublings,
    },
    attemptDeadline: msToDuration(spec.attemptDeadlineMs),
  };
  if (spec.description) pb.description = spec.description;
  if (nextRunTime !== undefined) pb.scheduleTime = msToTimestamp(nextRunTime);
  if (job.lastAttemptTime !== undefined) pb.lastAttemptTime = msToTimestamp(job.lastAttemptTime);
  if (job.lastStatus) pb.status = attemptStatus(job.lastStatus.status, job.lastStatus.error);
  return pb;
}

function attemptStatus(status: AttemptStatus, error?: string): StatusPb {
  return isSuccess(status) ? { code: 0, message: '' } : responseStatus(status, error);
}
