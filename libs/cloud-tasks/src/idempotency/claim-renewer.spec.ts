import { jest } from '@jest/globals';
import type { JobDelivery } from '../delivery/job-delivery.js';
import { JobTelemetry } from '../telemetry/job-telemetry.js';
import { ClaimRenewer } from './claim-renewer.js';
import type { IdempotencyStore } from './idempotency-store.interface.js';

describe('ClaimRenewer', () => {
  const delivery = { abort: jest.fn() } as unknown as JobDelivery;
  const storeWith = (renew: IdempotencyStore['renew']) => ({ renew }) as unknown as IdempotencyStore;

  afterEach(() => jest.useRealTimers());

  it('one interval for a stream of short jobs, stopped at its first idle tick', () => {
    jest.useFakeTimers();
    const setIntervalSpy = jest.spyOn(global, 'setInterval');
    const renewer = new ClaimRenewer(storeWith(async () => true), new JobTelemetry(null));
    for (let i = 0; i < 100; i++) renewer.hold(`k${i}`, 'o', 15_000, delivery)();
    expect(setIntervalSpy).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(5_000);
    expect(jest.getTimerCount()).toBe(0);
    renewer.onApplicationShutdown();
  });

  it('renews a claim older than a third of its lease, and aborts the job when the claim is lost', async () => {
    jest.useFakeTimers();
    const renew = jest.fn<IdempotencyStore['renew']>().mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    const renewer = new ClaimRenewer(storeWith(renew), new JobTelemetry(null));
    const release = renewer.hold('k', 'owner', 3_000, delivery);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(renew).toHaveBeenCalledWith('k', 'owner', 3_000);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(renew).toHaveBeenCalledTimes(2);
    expect(delivery.abort).toHaveBeenCalledTimes(1);
    release();
    renewer.onApplicationShutdown();
  });
});
