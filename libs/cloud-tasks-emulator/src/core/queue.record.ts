import type { QueueSettings } from './queue-settings.interface.js';
import type { RateLimiter } from './rate.limiter.js';
import type { TaskRecord } from './task.record.js';

export type QueueState = 'RUNNING' | 'PAUSED' | 'DISABLED';

/** A queue and its dispatch state. */
export interface QueueRecord {
  name: string;
  id: string;
  parent: string;
  settings: QueueSettings;
  state: QueueState;
  /** Virtual ms of the last purge. */
  purgeTime?: number;
  tasks: Map<string, TaskRecord>;
  deleted: boolean;
  /** Tasks whose time has come, waiting for a rate-limit token or a concurrency slot (FIFO with a moving head). */
  readyTasks: (TaskRecord | undefined)[];
  /** `gen` of each ready entry when it was queued; a mismatch marks the entry stale. */
  readyGens: number[];
  readyHead: number;
  inFlight: number;
  limiter: RateLimiter;
  /** Earliest pending rate-limit wake-up (virtual ms), `Infinity` when none. */
  wakeAt: number;
  /** No dispatch before this virtual time (system throttling after 429/503). */
  throttledUntil: number;
}
