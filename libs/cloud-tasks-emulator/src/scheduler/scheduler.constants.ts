/** Cloud Scheduler defaults and limits the emulator applies (values of the real service, see job.proto and target.proto). */
export const SchedulerDefaults = {
  /** HTTP targets: 3 minutes by default, 15 s to 30 min. */
  attemptDeadlineMs: 180_000,
  minAttemptDeadlineMs: 15_000,
  maxAttemptDeadlineMs: 1_800_000,
  minBackoffMs: 5_000,
  maxBackoffMs: 3_600_000,
  maxDoublings: 5,
  maxRetryCount: 5,
  maxJobsPageSize: 500,
} as const;

export const SCHEDULER_USER_AGENT = 'Google-Cloud-Scheduler';

/** Headers Cloud Scheduler sets on every attempt of an HTTP target. */
export const SchedulerHeaders = {
  CloudScheduler: 'X-CloudScheduler',
  JobName: 'X-CloudScheduler-JobName',
  ScheduleTime: 'X-CloudScheduler-ScheduleTime',
} as const;
