import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_BACKOFF_MS,
  DEFAULT_MAX_CONCURRENT_DISPATCHES,
  DEFAULT_MAX_DISPATCHES_PER_SECOND,
  DEFAULT_MAX_DOUBLINGS,
  DEFAULT_MIN_BACKOFF_MS,
  MAX_CONCURRENT_DISPATCHES,
  MAX_DISPATCHES_PER_SECOND,
} from '../emulator.constants.js';
import type { QueuePb, RateLimitsPb, RetryConfigPb } from '../grpc/proto.types.js';
import { durationToMs } from './durations.js';
import type { QueueSettings, RateSettings, RetrySettings } from './queue-settings.interface.js';
import { burstSizeFor } from './rate.limiter.js';
import { invalidArgument } from './rpc.error.js';

export function defaultRate(): RateSettings {
  return {
    maxDispatchesPerSecond: DEFAULT_MAX_DISPATCHES_PER_SECOND,
    maxBurstSize: burstSizeFor(DEFAULT_MAX_DISPATCHES_PER_SECOND),
    maxConcurrentDispatches: DEFAULT_MAX_CONCURRENT_DISPATCHES,
  };
}

export function defaultRetry(): RetrySettings {
  return {
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    maxRetryDurationMs: 0,
    minBackoffMs: DEFAULT_MIN_BACKOFF_MS,
    maxBackoffMs: DEFAULT_MAX_BACKOFF_MS,
    maxDoublings: DEFAULT_MAX_DOUBLINGS,
  };
}

export function defaultQueueSettings(): QueueSettings {
  return { rate: defaultRate(), retry: defaultRetry() };
}

type Setter = (target: QueueSettings, source: QueuePb) => void;

/** NOTE: proto3 scalars carry no presence, so 0 (like "unset") means "the service default" where 0 is meaningless. */
const orDefault = (value: number | null | undefined, fallback: number): number => (value == null || value === 0 ? fallback : value);

const setRate = (field: keyof RateLimitsPb): Setter => (t, s) => {
  const r = s.rateLimits ?? {};
  if (field === 'maxDispatchesPerSecond') {
    t.rate.maxDispatchesPerSecond = orDefault(r.maxDispatchesPerSecond, DEFAULT_MAX_DISPATCHES_PER_SECOND);
  } else if (field === 'maxConcurrentDispatches') {
    t.rate.maxConcurrentDispatches = orDefault(r.maxConcurrentDispatches, DEFAULT_MAX_CONCURRENT_DISPATCHES);
  }
  // max_burst_size is output only: the service derives it from the rate.
};

const setRetry = (field: keyof RetryConfigPb): Setter => (t, s) => {
  const r = s.retryConfig ?? {};
  switch (field) {
    case 'maxAttempts':
      t.retry.maxAttempts = orDefault(r.maxAttempts, DEFAULT_MAX_ATTEMPTS);
      break;
    case 'maxRetryDuration':
      t.retry.maxRetryDurationMs = durationToMs(r.maxRetryDuration) ?? 0;
      break;
    case 'minBackoff':
      t.retry.minBackoffMs = durationToMs(r.minBackoff) ?? DEFAULT_MIN_BACKOFF_MS;
      break;
    case 'maxBackoff':
      t.retry.maxBackoffMs = durationToMs(r.maxBackoff) ?? DEFAULT_MAX_BACKOFF_MS;
      break;
    case 'maxDoublings':
      t.retry.maxDoublings = r.maxDoublings ?? DEFAULT_MAX_DOUBLINGS;
      break;
  }
};

const RATE_FIELDS: (keyof RateLimitsPb)[] = ['maxDispatchesPerSecond', 'maxBurstSize', 'maxConcurrentDispatches'];
const RETRY_FIELDS: (keyof RetryConfigPb)[] = ['maxAttempts', 'maxRetryDuration', 'minBackoff', 'maxBackoff', 'maxDoublings'];
const setLogging: Setter = (t, s) => {
  t.stackdriverSamplingRatio = s.stackdriverLoggingConfig?.samplingRatio ?? undefined;
};
const setRouting: Setter = (t, s) => {
  const r = s.appEngineRoutingOverride;
  t.appEngineRouting = r ? { service: r.service ?? '', version: r.version ?? '', instance: r.instance ?? '' } : undefined;
};
const ignore: Setter = () => undefined;

/** Update-mask paths the emulator understands (snake_case, as the service expects; camelCase is accepted too). */
const SETTERS: Record<string, Setter[]> = {
  rate_limits: RATE_FIELDS.map(setRate),
  retry_config: RETRY_FIELDS.map(setRetry),
  stackdriver_logging_config: [setLogging],
  'stackdriver_logging_config.sampling_ratio': [setLogging],
  app_engine_routing_override: [setRouting],
  name: [ignore],
  state: [ignore],
  purge_time: [ignore],
};
for (const f of RATE_FIELDS) SETTERS[`rate_limits.${snake(f)}`] = [setRate(f)];
for (const f of RETRY_FIELDS) SETTERS[`retry_config.${snake(f)}`] = [setRetry(f)];

function snake(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The settings a CreateQueue/UpdateQueue request results in. Without a mask every mutable field is taken from
 * `queue` (absent ones get the service defaults); with a mask only the named fields change on `base`.
 */
export function resolveQueueSettings(queue: QueuePb, base: QueueSettings | undefined, maskPaths?: readonly string[]): QueueSettings {
  const target = clone(base ?? defaultQueueSettings());
  const paths = maskPaths && maskPaths.length > 0 ? maskPaths : Object.keys(SETTERS).filter((p) => !p.includes('.'));
  for (const raw of paths) {
    const setters = SETTERS[snake(raw)];
    if (!setters) throw invalidArgument(`Invalid update_mask path "${raw}": Queue has no mutable field with this name.`);
    for (const set of setters) set(target, queue);
  }
  target.rate.maxBurstSize = burstSizeFor(target.rate.maxDispatchesPerSecond);
  validateQueueSettings(target);
  return target;
}

/** The checks the service makes, with its messages. */
export function validateQueueSettings({ rate, retry }: QueueSettings): void {
  if (rate.maxDispatchesPerSecond < 0) throw invalidArgument('RateLimits.maxDispatchesPerSecond cannot be negative.');
  if (rate.maxDispatchesPerSecond > MAX_DISPATCHES_PER_SECOND) {
    throw invalidArgument(`RateLimits.maxDispatchesPerSecond must be less than or equal to ${MAX_DISPATCHES_PER_SECOND}.`);
  }
  if (rate.maxConcurrentDispatches < 0) throw invalidArgument('RateLimits.maxConcurrentDispatches cannot be negative.');
  if (rate.maxConcurrentDispatches > MAX_CONCURRENT_DISPATCHES) {
    throw invalidArgument(`RateLimits.maxConcurrentDispatches must be less than or equal to ${MAX_CONCURRENT_DISPATCHES}.`);
  }
  if (retry.maxAttempts < -1) throw invalidArgument('RetryConfig.maxAttempts must be greater or equal to -1.');
  if (retry.maxDoublings < 0) throw invalidArgument('RetryConfig.maxDoublings cannot be negative.');
  if (retry.minBackoffMs < 0) throw invalidArgument('RetryConfig.minBackoff cannot be negative.');
  if (retry.maxBackoffMs < 0) throw invalidArgument('RetryConfig.maxBackoff cannot be negative.');
  if (retry.maxRetryDurationMs < 0) throw invalidArgument('RetryConfig.maxRetryDuration cannot be negative.');
  if (retry.minBackoffMs > retry.maxBackoffMs) {
    throw invalidArgument('RetryConfig.minBackoff must be less than or equal to RetryConfig.maxBackoff.');
  }
}

function clone(s: QueueSettings): QueueSettings {
  return { rate: { ...s.rate }, retry: { ...s.retry }, appEngineRouting: s.appEngineRouting, stackdriverSamplingRatio: s.stackdriverSamplingRatio };
}
