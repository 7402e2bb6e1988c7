import type { AttemptStatus } from '../attempts/attempt-record.interface.js';
import type { JobSpec } from './job-spec.js';

export type JobState = 'ENABLED' | 'PAUSED';

/** One run of a job: its first attempt and the retries of it. Times are virtual epoch ms. */
export interface JobExecutionState {
  /** The tick it runs for (X-CloudScheduler-ScheduleTime); for RunJob, when it was asked. */
  scheduleTime: number;
  forced: boolean;
  firstAttemptTime?: number;
  /** Attempts started so far. */
  attempts: number;
  /** When the next retry is due, while one is waiting. */
  retryAt?: number;
}

/** A Cloud Scheduler job as the emulator keeps it. All times are virtual epoch ms. */
export interface JobRecord {
  name: string;
  id: string;
  parent: string;
  spec: JobSpec;
  state: JobState;
  userUpdateTime: number;
  /** Ticks strictly after this time are due: the schedule time of the last scheduled execution, or when the job was (re)armed. */
  cursor: number;
  /** The next tick, while one is armed. */
  nextTick?: number;
  lastAttemptTime?: number;
  lastStatus?: { status: AttemptStatus; error?: string };
  /** The execution in progress (an attempt in flight or a retry waiting); a later RunJob supersedes it. */
  current?: JobExecutionState;
  deleted: boolean;
  /** Bumped whenever the job is re-armed, paused, updated or deleted: stale timers compare against it. */
  gen: number;
}
