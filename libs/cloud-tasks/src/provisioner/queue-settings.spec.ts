import { describe, expect, it } from '@jest/globals';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import {
  CLOUD_TASKS_QUEUE_DEFAULTS,
  changedFields,
  desiredSettings,
  displayValue,
  formatDurationMs,
  liveSettings,
  queueMessage,
} from './queue-settings.js';

const config = (extra: Partial<QueueConfig> = {}): QueueConfig => ({
  name: 'calendar-sync-queue',
  retryConfig: { maxAttempts: 5, minBackoff: '30s', maxBackoff: '1800s', maxDoublings: 3 },
  ...extra,
});

describe('queue settings normalisation', () => {
  it('reads a config with durations in ms and the Cloud Tasks defaults for what it leaves out', () => {
    expect(desiredSettings(config())).toEqual({
      'retry_config.max_attempts': 5,
      'retry_config.min_backoff': 30_000,
      'retry_config.max_backoff': 1_800_000,
      'retry_config.max_doublings': 3,
      'retry_config.max_retry_duration': 0,
      'rate_limits.max_dispatches_per_second': 500,
      'rate_limits.max_concurrent_dispatches': 1000,
    });
    expect(desiredSettings(config({ retryConfig: { ...config().retryConfig, maxRetryDuration: '0.5s' }, rateLimits: { maxConcurrentDispatches: 7 } }))).toMatchObject({
      'retry_config.max_retry_duration': 500,
      'rate_limits.max_dispatches_per_second': 500,
      'rate_limits.max_concurrent_dispatches': 7,
    });
  });

  it('rejects a malformed duration naming the queue and field', () => {
    expect(() => desiredSettings(config({ retryConfig: { ...config().retryConfig, minBackoff: '30 seconds' } }))).toThrow(
      'Queue "calendar-sync-queue": retryConfig.minBackoff "30 seconds" is not a duration like "30s" or "0.5s".',
    );
  });

  it('reads a live queue whatever the int64 encoding, with defaults for absent parts', () => {
    const asString = liveSettings({ retryConfig: { maxAttempts: 5, minBackoff: { seconds: '30' }, maxBackoff: { seconds: '1800', nanos: 0 }, maxDoublings: 3 } });
    const asNumber = liveSettings({ retryConfig: { maxAttempts: 5, minBackoff: { seconds: 30 }, maxBackoff: { seconds: 1800 }, maxDoublings: 3 } });
    const asLong = liveSettings({
      retryConfig: { maxAttempts: 5, minBackoff: { seconds: { toNumber: () => 30 } as never }, maxBackoff: { seconds: { toNumber: () => 1800 } as never }, maxDoublings: 3 },
    });
    for (const live of [asString, asNumber, asLong]) expect(changedFields(live, desiredSettings(config()))).toEqual([]);
    expect(liveSettings({})).toEqual(CLOUD_TASKS_QUEUE_DEFAULTS);
    expect(liveSettings({ retryConfig: { minBackoff: { nanos: 100_000_000 } } })['retry_config.min_backoff']).toBe(100);
  });

  it('treats proto3 zeros as the service does: 0 doublings is real, 0 attempts and 0 rates are unset', () => {
    const live = liveSettings({ retryConfig: { maxAttempts: 0 }, rateLimits: { maxDispatchesPerSecond: 0, maxConcurrentDispatches: 0 } });
    expect(live['retry_config.max_doublings']).toBe(0);
    expect(live['retry_config.max_attempts']).toBe(100);
    expect(live['rate_limits.max_dispatches_per_second']).toBe(500);
    expect(live['rate_limits.max_concurrent_dispatches']).toBe(1000);
  });

  it('lists exactly the drifted fields, comparing durations to the ms and rates as doubles', () => {
    const want = desiredSettings(config({ rateLimits: { maxDispatchesPerSecond: 0.1 } }));
    const live = liveSettings({
      retryConfig: { maxAttempts: 7, minBackoff: { seconds: '30', nanos: 400_000 }, maxBackoff: { seconds: '1800' }, maxDoublings: 3 },
      rateLimits: { maxDispatchesPerSecond: 0.30000000000000004 / 3, maxConcurrentDispatches: 1000 },
    });
    expect(changedFields(live, want)).toEqual(['retry_config.max_attempts']);
  });

  it('shows durations the way configs write them', () => {
    expect(formatDurationMs(30_000)).toBe('30s');
    expect(formatDurationMs(100)).toBe('0.1s');
    expect(formatDurationMs(1_500)).toBe('1.5s');
    expect(displayValue('retry_config.max_retry_duration', 0)).toBe('0s');
    expect(displayValue('rate_limits.max_dispatches_per_second', 20)).toBe(20);
  });

  it('builds the Queue message with protobuf Durations, only for the fields asked', () => {
    const want = desiredSettings(config({ retryConfig: { ...config().retryConfig, minBackoff: '0.25s' }, rateLimits: { maxDispatchesPerSecond: 20 } }));
    expect(queueMessage('projects/p/locations/l/queues/q', want)).toEqual({
      name: 'projects/p/locations/l/queues/q',
      retryConfig: { maxAttempts: 5, minBackoff: { seconds: 0, nanos: 250_000_000 }, maxBackoff: { seconds: 1800, nanos: 0 }, maxDoublings: 3 },
      rateLimits: { maxDispatchesPerSecond: 20, maxConcurrentDispatches: 1000 },
    });
    expect(queueMessage('q', want, ['retry_config.max_attempts'])).toEqual({ name: 'q', retryConfig: { maxAttempts: 5 } });
    // A masked field left out of the message is reset to its default by the service: 0 = unlimited retry duration.
    expect(queueMessage('q', want, ['retry_config.max_retry_duration'])).toEqual({ name: 'q', retryConfig: {} });
    expect(queueMessage('q', want, ['rate_limits.max_dispatches_per_second'])).toEqual({ name: 'q', rateLimits: { maxDispatchesPerSecond: 20 } });
  });
});
