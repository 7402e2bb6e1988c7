import { jest } from '@jest/globals';
import type { Clock } from '../utils/clock.js';
import { describeIdempotencyStoreContract } from '../testing/contracts/idempotency-store.contract.js';
import { MemoryIdempotencyStore } from './memory-idempotency.store.js';

describeIdempotencyStoreContract('MemoryIdempotencyStore (fake clock)', () => {
  let now = 1_700_000_000_000;
  const clock: Clock = { now: () => now };
  const store = new MemoryIdempotencyStore(clock);
  return {
    // NOTE: one process, one map: every "instance" is the same store, as on a single Cloud Run instance.
    newStore: () => store,
    elapse: async (ms) => {
      now += ms;
    },
  };
});

describe('MemoryIdempotencyStore bounds', () => {
  const done = (at: number) => ({ state: 'done' as const, result: { ok: true }, at });

  it('a full store drops its oldest done records down to 90 % of maxEntries in one walk, never a claim', async () => {
    const store = new MemoryIdempotencyStore(undefined, { maxEntries: 1_000 });
    await store.claim('running', 'owner', 60_000);
    for (let i = 0; i < 999; i++) await store.complete(`done-${i}`, 'o', done(i), 3600);
    expect(store.size).toMatchObject({ entries: 1_000, evicted: 0 });

    await store.complete('done-999', 'o', done(999), 3600);
    expect(store.size).toMatchObject({ entries: 900, evicted: 101 });
    expect(await store.get('running')).toMatchObject({ state: 'processing', owner: 'owner' });
    expect(await store.get('done-100')).toBeNull();
    expect(await store.get('done-101')).toMatchObject({ state: 'done' });

    // the next 100 writes fit without a walk
    for (let i = 1_000; i < 1_100; i++) await store.complete(`done-${i}`, 'o', done(i), 3600);
    expect(store.size).toMatchObject({ entries: 1_000, evicted: 101 });
  });

  it('warns at the first drop and then each time the drops grow tenfold', async () => {
    const store = new MemoryIdempotencyStore(undefined, { maxEntries: 10 });
    const warn = jest.spyOn((store as unknown as { logger: { warn: (m: unknown) => void } }).logger, 'warn').mockImplementation(() => undefined);
    for (let i = 0; i < 500; i++) await store.complete(`k-${i}`, 'o', done(i), 3600);
    const counts = warn.mock.calls.map(([entry]) => (entry as { evicted: number }).evicted);
    expect(store.size.evicted).toBeGreaterThan(480);
    expect(counts).toEqual([2, 20, 200]);
  });
});
