import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DoneRecord, IdempotencyStore } from './idempotency-store.interface.js';

/** What the contract needs from one implementation. */
export interface IdempotencyStoreContractHarness {
  /** A store over the shared backing data; called several times to play several instances where that means something. */
  newStore(): IdempotencyStore;
  /** Lets `ms` of store time pass: advance a fake clock, or really wait. */
  elapse(ms: number): Promise<void>;
  /** Called once after the suite (close servers, delete keys). */
  dispose?(): Promise<void>;
}

/**
 * Defines the behaviour every {@link IdempotencyStore} must have (atomic claim with a lease, lost claim returns the
 * record, done records cache the result, compare-and-release, TTLs). Call it inside a test file with a harness
 * factory; each test uses its own random key.
 */
export function describeIdempotencyStoreContract(
  name: string,
  createHarness: () => IdempotencyStoreContractHarness | Promise<IdempotencyStoreContractHarness>,
): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let harness: IdempotencyStoreContractHarness;
    let store: IdempotencyStore;
    const newKey = (): string => `contract-${randomUUID()}`;
    const done = (result: unknown, at = 1_700_000_000_000): DoneRecord => ({ state: 'done', result, at });

    beforeAll(async () => {
      harness = await createHarness();
      store = harness.newStore();
    });

    afterAll(async () => {
      await harness.dispose?.();
    });

    it('wins the first claim and shows the processing record', async () => {
      const key = newKey();
      expect(await store.claim(key, 'owner-a', 10_000)).toEqual({ claimed: true });
      expect(await store.get(key)).toEqual({ state: 'processing', owner: 'owner-a', at: expect.any(Number) });
    });

    it('loses a second claim and returns the record holding the key', async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 10_000);
      const lost = await store.claim(key, 'owner-b', 10_000);
      expect(lost).toEqual({ claimed: false, record: { state: 'processing', owner: 'owner-a', at: expect.any(Number) } });
    });

    it('caches the result once done: later claims lose with the done record', async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 10_000);
      const record = done({ synced: 3, items: ['a', 'b'], nested: { ok: true }, text: '123' });
      await store.complete(key, record, 60);
      expect(await store.claim(key, 'owner-b', 10_000)).toEqual({ claimed: false, record });
      expect(await store.get(key)).toEqual(record);
    });

    it('keeps results of any JSON shape, resultOmitted and dead records', async () => {
      for (const result of ['plain text', 42, null, [1, 'two'], true]) {
        const key = newKey();
        await store.complete(key, done(result), 60);
        expect(await store.get(key)).toEqual(done(result));
      }
      for (const record of [
        { state: 'done', resultOmitted: true, at: 5 },
        { state: 'done', dead: true, error: 'PermanentError: user deleted', at: 6 },
      ] satisfies DoneRecord[]) {
        const key = newKey();
        await store.complete(key, record, 60);
        expect(await store.get(key)).toEqual(record);
      }
    });

    it('releases only for the owner, after which the next claim wins', async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 10_000);
      expect(await store.release(key, 'owner-b')).toBe(false);
      expect(await store.get(key)).toMatchObject({ state: 'processing', owner: 'owner-a' });
      expect(await store.release(key, 'owner-a')).toBe(true);
      expect(await store.get(key)).toBeNull();
      expect(await store.claim(key, 'owner-b', 10_000)).toEqual({ claimed: true });
    });

    it('does nothing when releasing a completed or missing key', async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 10_000);
      await store.complete(key, done('r'), 60);
      expect(await store.release(key, 'owner-a')).toBe(false);
      expect(await store.get(key)).toEqual(done('r'));
      expect(await store.release(newKey(), 'owner-a')).toBe(false);
    });

    it('lets the next claim win once the lease expires (crash mid-job)', async () => {
      const key = newKey();
      await store.claim(key, 'crashed', 150);
      expect((await store.claim(key, 'early', 150)).claimed).toBe(false);
      await harness.elapse(250);
      expect(await store.get(key)).toBeNull();
      expect(await store.claim(key, 'next', 10_000)).toEqual({ claimed: true });
      expect(await store.release(key, 'crashed')).toBe(false);
      expect(await store.get(key)).toMatchObject({ owner: 'next' });
    });

    it('honours the done record TTL', async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 10_000);
      await store.complete(key, done('short-lived'), 1);
      await harness.elapse(600);
      expect(await store.get(key)).toEqual(done('short-lived'));
      await harness.elapse(600);
      expect(await store.get(key)).toBeNull();
      expect(await store.claim(key, 'owner-b', 10_000)).toEqual({ claimed: true });
    });

    it('gives exactly one winner among 50 concurrent claims of one key', async () => {
      const key = newKey();
      const stores = Array.from({ length: 5 }, () => harness.newStore());
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => stores[i % stores.length].claim(key, `owner-${i}`, 10_000)),
      );
      const winners = results.flatMap((r, i) => (r.claimed ? [`owner-${i}`] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) {
        if (!r.claimed) expect(r.record).toMatchObject({ state: 'processing', owner: winners[0] });
      }
    });

    it('keeps keys independent', async () => {
      const [a, b] = [newKey(), newKey()];
      await store.claim(a, 'owner-a', 10_000);
      expect(await store.claim(b, 'owner-b', 10_000)).toEqual({ claimed: true });
      expect(await store.release(a, 'owner-a')).toBe(true);
      expect(await store.get(b)).toMatchObject({ owner: 'owner-b' });
    });
  });
}
