/** A queue's retry policy in milliseconds, after defaults are applied. */
export interface RetrySettings {
  /** Total attempts including the first; `-1` = unlimited. */
  maxAttempts: number;
  /** `0` = unlimited. */
  maxRetryDurationMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  maxDoublings: number;
}

/** A queue's dispatch limits, after defaults are applied. */
export interface RateSettings {
  maxDispatchesPerSecond: number;
  maxBurstSize: number;
  maxConcurrentDispatches: number;
}

/** Everything mutable about a queue. */
export interface QueueSettings {
  rate: RateSettings;
  retry: RetrySettings;
  /** Routing of every App Engine task of the queue (`app_engine_routing_override`), over each task's own. */
  appEngineRouting?: { service: string; version: string; instance: string };
  /** Kept and echoed back; the emulator writes no Cloud Logging entries. */
  stackdriverSamplingRatio?: number;
}
