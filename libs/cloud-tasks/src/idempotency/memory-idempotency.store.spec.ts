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
