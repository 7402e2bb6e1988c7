/**
 * Retry policy of one Cloud Scheduler job (job.proto `RetryConfig`), durations written as in queue configs (`'10s'`).
 * It governs the *fire* (Cloud Scheduler → the job endpoint, which only enqueues the job's task); the job itself is
 * retried by its Cloud Tasks queue's `retryConfig`. Fields left out take Cloud Scheduler's defaults.
 */
export interface ScheduleRetryConfig {
  /** Retries of a failed fire, 0–5 (default 0: a failed fire waits for the next tick). */
  retryCount?: number;
  /** Time limit for retrying a failed fire, e.g. `'3600s'`; `'0s'` (default) = no limit. */
  maxRetryDuration?: string;
  /** First retry delay (default `'5s'`). */
  minBackoffDuration?: string;
  /** Ceiling of the retry delay (default `'3600s'`). */
  maxBackoffDuration?: string;
  /** How many times the delay doubles before it grows linearly (default 5). */
  maxDoublings?: number;
}

/**
 * A recurring job: Cloud Scheduler fires it on `cron` in `timeZone`, each fire enqueues one task of `job` into the
 * job's Cloud Tasks queue (named after the fire, so a duplicated fire runs once), and the job's processor runs it
 * with the queue's retries, rate limits and dead letters. `QueueProvisioner.sync()` creates and updates the Cloud
 * Scheduler job; boot fails on a bad expression, time zone or job.
 *
 * @example
 * ```ts
 * schedules: [{ job: 'webhook-health-check', cron: '0 * * * *', data: { renewWithinHours: 24 } }]
 * ```
 */
export interface ScheduleConfig {
  /** The job to run: a key of `queues` with a `@JobHandler()` in this app. */
  job: string;
  /**
   * Cloud Scheduler job id (letters, digits, `-`, `_`; at most 500), unique in the location. Default: the job name.
   * Give one when a job has several schedules, or to keep ids of two services in one project apart.
   */
  id?: string;
  /** unix-cron, exactly five fields (minute hour day-of-month month day-of-week), e.g. `'0 *\/6 * * *'`. */
  cron: string;
  /** IANA time zone the expression is read in, e.g. `'Europe/Paris'`. Default `'Etc/UTC'`. */
  timeZone?: string;
  /** The payload every fire enqueues (validated against the handler's `payload` class at boot). Default `{}`. */
  data?: unknown;
  /** Cloud Scheduler's retries of a failed fire. */
  retry?: ScheduleRetryConfig;
  /** How long Cloud Scheduler waits for the endpoint's answer to a fire, in seconds (15–1800, default 180). */
  attemptDeadlineSeconds?: number;
  /** Keep the Cloud Scheduler job paused (the sync pauses and resumes it to match). Default false. */
  paused?: boolean;
  /** Description shown in the Cloud console. Default: `Runs <job> (managed by @nest-cloud-tasks/core)`. */
  description?: string;
}

/** What a processor's {@link JobContext} says about the fire that enqueued the job, when a schedule did. */
export interface ScheduleFireInfo {
  /** The schedule id (the Cloud Scheduler job id, `X-CloudScheduler-JobName`). */
  id: string;
  /** The tick the fire is for (`X-CloudScheduler-ScheduleTime`): the same on every retry of the fire. */
  scheduleTime: Date;
}
