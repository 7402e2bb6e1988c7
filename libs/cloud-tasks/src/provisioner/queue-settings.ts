import type { protos } from '@google-cloud/tasks';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import { parseDuration, toProtoDuration } from '../utils/duration.js';

type IQueue = protos.google.cloud.tasks.v2.IQueue;
type IDuration = protos.google.protobuf.IDuration;

/**
 * The queue fields the provisioner manages, named by their update-mask paths. Durations are held in milliseconds,
 * `max_retry_duration` 0 meaning unlimited. Everything else of a queue (state, routing, logging) is left alone.
 */
export interface QueueSettings {
  'retry_config.max_attempts': number;
  'retry_config.min_backoff': number;
  'retry_config.max_backoff': number;
  'retry_config.max_doublings': number;
  'retry_config.max_retry_duration': number;
  'rate_limits.max_dispatches_per_second': number;
  'rate_limits.max_concurrent_dispatches': number;
}

/** One managed field: its update-mask path. */
export type QueueField = keyof QueueSettings;

/** Managed fields in display (and mask) order. */
export const QUEUE_FIELDS: readonly QueueField[] = [
  'retry_config.max_attempts',
  'retry_config.min_backoff',
  'retry_config.max_backoff',
  'retry_config.max_doublings',
  'retry_config.max_retry_duration',
  'rate_limits.max_dispatches_per_second',
  'rate_limits.max_concurrent_dispatches',
];

const DURATION_FIELDS = new Set<QueueField>(['retry_config.min_backoff', 'retry_config.max_backoff', 'retry_config.max_retry_duration']);

/**
 * What Cloud Tasks fills in for a field left unset (queue.proto; what `gcloud tasks queues describe` shows for a queue
 * created bare). A config that leaves a field out means "the service default", so a queue holding the default is in
 * sync, and a queue holding something else is brought back to it.
 */
export const CLOUD_TASKS_QUEUE_DEFAULTS: Readonly<QueueSettings> = Object.freeze({
  'retry_config.max_attempts': 100,
  'retry_config.min_backoff': 100,
  'retry_config.max_backoff': 3_600_000,
  'retry_config.max_doublings': 16,
  'retry_config.max_retry_duration': 0,
  'rate_limits.max_dispatches_per_second': 500,
  'rate_limits.max_concurrent_dispatches': 1000,
});

/** A value as the report shows it: durations the way configs write them (`'30s'`, `'0.1s'`), counts as numbers. */
export type DisplayValue = number | string;

/** The settings a {@link QueueConfig} asks for, with unset fields at the Cloud Tasks defaults. */
export function desiredSettings(config: QueueConfig): QueueSettings {
  const { retryConfig: retry, rateLimits: rate } = config;
  const duration = (value: string | undefined, field: string, fallback: number): number => {
    if (value === undefined || value === '') return fallback;
    const ms = parseDuration(value);
    if (ms === undefined) throw new Error(`Queue "${config.name}": ${field} "${value}" is not a duration like "30s" or "0.5s".`);
    return ms;
  };
  const d = CLOUD_TASKS_QUEUE_DEFAULTS;
  return {
    'retry_config.max_attempts': retry.maxAttempts ?? d['retry_config.max_attempts'],
    'retry_config.min_backoff': duration(retry.minBackoff, 'retryConfig.minBackoff', d['retry_config.min_backoff']),
    'retry_config.max_backoff': duration(retry.maxBackoff, 'retryConfig.maxBackoff', d['retry_config.max_backoff']),
    'retry_config.max_doublings': retry.maxDoublings ?? d['retry_config.max_doublings'],
    'retry_config.max_retry_duration': duration(retry.maxRetryDuration, 'retryConfig.maxRetryDuration', d['retry_config.max_retry_duration']),
    'rate_limits.max_dispatches_per_second': rate?.maxDispatchesPerSecond ?? d['rate_limits.max_dispatches_per_second'],
    'rate_limits.max_concurrent_dispatches': rate?.maxConcurrentDispatches ?? d['rate_limits.max_concurrent_dispatches'],
  };
}

/**
 * The settings of a queue as Cloud Tasks returns it. Durations may arrive as `{ seconds: '30' }` (int64 as a string),
 * numbers or Longs; an absent message field means the service default. `max_burst_size` is output only and ignored.
 */
export function liveSettings(queue: IQueue): QueueSettings {
  const retry = queue.retryConfig ?? {};
  const rate = queue.rateLimits ?? {};
  const d = CLOUD_TASKS_QUEUE_DEFAULTS;
  return {
    // NOTE: the service never stores 0 attempts (-1 is unlimited), so 0 is proto3's "unset".
    'retry_config.max_attempts': num(retry.maxAttempts) || d['retry_config.max_attempts'],
    'retry_config.min_backoff': durationMs(retry.minBackoff) ?? d['retry_config.min_backoff'],
    'retry_config.max_backoff': durationMs(retry.maxBackoff) ?? d['retry_config.max_backoff'],
    // NOTE: 0 doublings is a real setting, which proto3 leaves off the wire: inside a retry config, absent means 0.
    'retry_config.max_doublings': num(retry.maxDoublings) ?? (queue.retryConfig ? 0 : d['retry_config.max_doublings']),
    'retry_config.max_retry_duration': durationMs(retry.maxRetryDuration) ?? d['retry_config.max_retry_duration'],
    // NOTE: a rate of 0 would mean "dispatch nothing", which the service never reports for a queue: 0 is "unset".
    'rate_limits.max_dispatches_per_second': num(rate.maxDispatchesPerSecond) || d['rate_limits.max_dispatches_per_second'],
    'rate_limits.max_concurrent_dispatches': num(rate.maxConcurrentDispatches) || d['rate_limits.max_concurrent_dispatches'],
  };
}

/** The fields whose values differ, in {@link QUEUE_FIELDS} order. */
export function changedFields(current: QueueSettings, desired: QueueSettings): QueueField[] {
  return QUEUE_FIELDS.filter((field) => !sameValue(field, current[field], desired[field]));
}

function sameValue(field: QueueField, a: number, b: number): boolean {
  // NOTE: durations compare to the millisecond (configs cannot say less); rates as doubles, with a hair of tolerance.
  if (DURATION_FIELDS.has(field)) return Math.round(a) === Math.round(b);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** How a field's value is shown: durations as `'30s'`, counts as numbers. */
export function displayValue(field: QueueField, value: number): DisplayValue {
  return DURATION_FIELDS.has(field) ? formatDurationMs(value) : value;
}

/** `30000` → `'30s'`, `100` → `'0.1s'`. */
export function formatDurationMs(ms: number): string {
  return `${Number((ms / 1000).toFixed(9))}s`;
}

/**
 * The `Queue` message carrying `fields` of `settings` (all managed fields when omitted), for CreateQueue or for an
 * UpdateQueue whose mask names exactly those fields. A field masked but absent from the message is reset by the
 * service to its default, which is what a 0 `max_retry_duration` means.
 */
export function queueMessage(name: string, settings: QueueSettings, fields: readonly QueueField[] = QUEUE_FIELDS): IQueue {
  const retryConfig: protos.google.cloud.tasks.v2.IRetryConfig = {};
  const rateLimits: protos.google.cloud.tasks.v2.IRateLimits = {};
  for (const field of fields) {
    const value = settings[field];
    switch (field) {
      case 'retry_config.max_attempts':
        retryConfig.maxAttempts = value;
        break;
      case 'retry_config.min_backoff':
        retryConfig.minBackoff = toProtoDuration(value);
        break;
      case 'retry_config.max_backoff':
        retryConfig.maxBackoff = toProtoDuration(value);
        break;
      case 'retry_config.max_doublings':
        retryConfig.maxDoublings = value;
        break;
      case 'retry_config.max_retry_duration':
        if (value > 0) retryConfig.maxRetryDuration = toProtoDuration(value);
        break;
      case 'rate_limits.max_dispatches_per_second':
        rateLimits.maxDispatchesPerSecond = value;
        break;
      case 'rate_limits.max_concurrent_dispatches':
        rateLimits.maxConcurrentDispatches = value;
        break;
    }
  }
  const queue: IQueue = { name };
  if (fields.some((f) => f.startsWith('retry_config.'))) queue.retryConfig = retryConfig;
  if (fields.some((f) => f.startsWith('rate_limits.'))) queue.rateLimits = rateLimits;
  return queue;
}

/** int32/double/int64 (number, string or Long) → number; undefined when absent. */
function num(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value === '' ? undefined : Number(value);
  if (typeof (value as { toNumber?: unknown }).toNumber === 'function') return (value as { toNumber(): number }).toNumber();
  return Number(value);
}

/** `google.protobuf.Duration` → milliseconds; undefined when absent. */
export function durationMs(duration: IDuration | null | undefined): number | undefined {
  if (!duration) return undefined;
  return (num(duration.seconds) ?? 0) * 1000 + (num(duration.nanos) ?? 0) / 1e6;
}
