/** Request headers Cloud Scheduler sets on every fire of an HTTP target. */
export const CloudSchedulerHeaders = {
  /** `true` on every fire. */
  Marker: 'x-cloudscheduler',
  /** The Cloud Scheduler job id (short name). */
  JobName: 'x-cloudscheduler-jobname',
  /** The tick the fire is for, RFC 3339 (the same on every retry of the fire; for RunJob, when it was asked). */
  ScheduleTime: 'x-cloudscheduler-scheduletime',
} as const;

/** Cloud Scheduler's defaults, which the sync holds a schedule to for the fields its config leaves out. */
export const CLOUD_SCHEDULER_DEFAULTS = {
  timeZone: 'Etc/UTC',
  attemptDeadlineSeconds: 180,
  retry: { retryCount: 0, maxRetryDuration: '0s', minBackoffDuration: '5s', maxBackoffDuration: '3600s', maxDoublings: 5 },
} as const;

/** Bounds Cloud Scheduler puts on a job (job.proto). */
export const ScheduleLimits = {
  maxRetryCount: 5,
  minAttemptDeadlineSeconds: 15,
  maxAttemptDeadlineSeconds: 1800,
  /** Cloud Scheduler allows 500; ids stay short here so a fire's idempotency key (id + time) stays within its limit. */
  maxIdLength: 100,
} as const;
