/**
 * A duration the way Cloud Tasks writes it in its JSON API and `gcloud` flags: seconds with an `s` suffix
 * (`'10s'`, `'0.5s'`). A plain number is read as seconds.
 */
export type DurationInput = string | number;

/** Retry policy of a queue. Every field is optional: Cloud Tasks' defaults fill the gaps. */
export interface QueueRetryDefinition {
  /** Total attempts including the first; `-1` = unlimited. Default 100. */
  readonly maxAttempts?: number;
  /** Wait before the first retry. Default `'0.1s'`. */
  readonly minBackoff?: DurationInput;
  /** Longest wait between retries. Default `'3600s'`. */
  readonly maxBackoff?: DurationInput;
  /** How many times the wait doubles before it grows linearly. Default 16. */
  readonly maxDoublings?: number;
  /** Time limit for retrying, from the first attempt; unset or `'0s'` = unlimited (the default). */
  readonly maxRetryDuration?: DurationInput;
}

/** Dispatch limits of a queue. Defaults: 500 dispatches/s, 1000 concurrent. */
export interface QueueRateDefinition {
  readonly maxDispatchesPerSecond?: number;
  readonly maxConcurrentDispatches?: number;
}

/** Where App Engine tasks of a queue go, overriding each task's own routing. */
export interface QueueAppEngineRouting {
  readonly service?: string;
  readonly version?: string;
  readonly instance?: string;
}

/**
 * One queue to create at start. Only `name` is required. The shape matches a Nest `QueueConfig`
 * (`{ name, retryConfig, rateLimits, dispatchDeadline }`), so an app's job → queue map can be passed as is.
 */
export interface QueueDefinition {
  /** Queue id, the last segment of `projects/P/locations/L/queues/ID` (letters, digits, hyphens). */
  readonly name: string;
  readonly retryConfig?: QueueRetryDefinition;
  readonly rateLimits?: QueueRateDefinition;
  readonly appEngineRoutingOverride?: QueueAppEngineRouting;
  /**
   * Accepted and ignored: Cloud Tasks has no queue-level dispatch deadline (each task carries its own). It is
   * allowed here so that an app's queue configs, which hold the job's default deadline, can be passed unchanged.
   */
  readonly dispatchDeadline?: number;
}

/**
 * Queues to create at start, in one project and location.
 *
 * `queues` is either a map (keys are only labels, e.g. job names: several keys may name the same queue, the last
 * definition wins) or a list; an entry may be just the queue id.
 */
export interface EmulatorQueueSeed {
  /** Default `'local-project'`. */
  readonly projectId?: string;
  /** Default `'us-central1'`. */
  readonly location?: string;
  readonly queues: Readonly<Record<string, QueueDefinition | string>> | readonly (QueueDefinition | string)[];
}
