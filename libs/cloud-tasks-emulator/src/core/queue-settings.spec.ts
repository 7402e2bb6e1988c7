import { status } from '@grpc/grpc-js';
import { defaultQueueSettings, resolveQueueSettings } from './queue-settings.js';
import { RpcError } from './rpc.error.js';

describe('resolveQueueSettings', () => {
  it('applies the service defaults to an empty queue', () => {
    const s = resolveQueueSettings({ name: 'x' }, undefined);
    expect(s.rate).toEqual({ maxDispatchesPerSecond: 500, maxBurstSize: 100, maxConcurrentDispatches: 1000 });
    expect(s.retry).toEqual({ maxAttempts: 100, maxRetryDurationMs: 0, minBackoffMs: 100, maxBackoffMs: 3_600_000, maxDoublings: 16 });
  });

  it('replaces every mutable field when there is no mask', () => {
    const base = resolveQueueSettings({ retryConfig: { maxAttempts: 5 }, rateLimits: { maxDispatchesPerSecond: 7 } }, undefined);
    const s = resolveQueueSettings({ retryConfig: { maxDoublings: 2 } }, base);
    expect(s.retry.maxAttempts).toBe(100);
    expect(s.retry.maxDoublings).toBe(2);
    expect(s.rate.maxDispatchesPerSecond).toBe(500);
  });

  it('changes only the masked fields, in snake_case or camelCase', () => {
    const base = resolveQueueSettings({ retryConfig: { maxAttempts: 5 }, rateLimits: { maxDispatchesPerSecond: 7 } }, undefined);
    const s = resolveQueueSettings({ rateLimits: { maxConcurrentDispatches: 3 }, retryConfig: { maxAttempts: 9 } }, base, [
      'rate_limits.max_concurrent_dispatches',
      'retryConfig.maxAttempts',
    ]);
    expect(s.rate).toEqual({ maxDispatchesPerSecond: 7, maxBurstSize: 2, maxConcurrentDispatches: 3 });
    expect(s.retry.maxAttempts).toBe(9);
  });

  it.each([
    [{ rateLimits: { maxDispatchesPerSecond: 501 } }, 'RateLimits.maxDispatchesPerSecond must be less than or equal to 500.'],
    [{ rateLimits: { maxConcurrentDispatches: 5001 } }, 'RateLimits.maxConcurrentDispatches must be less than or equal to 5000.'],
    [{ retryConfig: { maxAttempts: -2 } }, 'RetryConfig.maxAttempts must be greater or equal to -1.'],
    [{ retryConfig: { minBackoff: { seconds: 10 }, maxBackoff: { seconds: 5 } } }, 'RetryConfig.minBackoff must be less than or equal to RetryConfig.maxBackoff.'],
  ])('rejects %j with INVALID_ARGUMENT', (queue, message) => {
    let error: unknown;
    try {
      resolveQueueSettings(queue, undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(status.INVALID_ARGUMENT);
    expect((error as RpcError).message).toBe(message);
  });

  it('rejects an unknown mask path', () => {
    expect(() => resolveQueueSettings({}, defaultQueueSettings(), ['retry_config.nope'])).toThrow(/Invalid update_mask path/);
  });
});
