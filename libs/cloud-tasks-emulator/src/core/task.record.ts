import type { AttemptStatus } from '../attempts/attempt-record.interface.js';
import type { AppEngineRouting } from './app-engine.target.js';
import type { QueueRecord } from './queue.record.js';

export type TaskPhase = 'scheduled' | 'ready' | 'running' | 'finished';

export interface AttemptState {
  scheduleTime: number;
  dispatchTime: number;
  responseTime?: number;
  status?: AttemptStatus;
}

/** A task as the emulator keeps it. All times are virtual epoch ms. */
export interface TaskRecord {
  name: string;
  id: string;
  queue: QueueRecord;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  oidc?: { serviceAccountEmail: string; audience: string };
  oauth?: { serviceAccountEmail: string; scope: string };
  /** Set for App Engine tasks: `url` is then derived from the routing (and the queue's override) at each dispatch. */
  appEngine?: { relativeUri: string; routing: AppEngineRouting };
  scheduleTime: number;
  createTime: number;
  dispatchDeadlineMs: number;
  /** Whether the client set a dispatch deadline (echoed back only then). */
  dispatchDeadlineSet: boolean;
  dispatchCount: number;
  responseCount: number;
  /** Responses other than 5xx (X-CloudTasks-TaskExecutionCount). */
  executionCount: number;
  /** Failed attempts so far (X-CloudTasks-TaskRetryCount). */
  retryCount: number;
  firstAttemptTime?: number;
  lastAttempt?: AttemptState;
  previousResponse?: number;
  retryReason?: string;
  phase: TaskPhase;
  /** Bumped whenever the task is rescheduled, run or finished: stale timer/ready entries compare against it. */
  gen: number;
  /** Attempts currently in flight (more than one only through RunTask). */
  running: number;
}
