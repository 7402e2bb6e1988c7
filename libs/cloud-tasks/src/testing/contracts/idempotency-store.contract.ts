import { randomUUID } from 'node:crypto';
import type { DoneRecord, IdempotencyStore } from '../../idempotency/idempotency-store.interface.js';
import { globalTestApi, type ContractTestApi } from './test-api.js';

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
 * Defines the behaviour every {@link IdempotencyStore} must have: an atomic claim with a lease that a resent claim of
 * the same owner wins again, renewals by the owner only, owner-checked complete and release that never overwrite
 * another owner's claim or a done record, dead-letter marks on claims, TTLs. Call it in a test file with a harness
 * factory (and, outside Jest or Vitest with globals, the runner's functions); each test uses its own random key.
 *
 * @example
 * ```ts
 * describeIdempotencyStoreContract('MyStore', async () => ({ newStore: () => new MyStore(), elapse: (ms) => sleep(ms) }));
 * ```
 */
export function describeIdempotencyStoreContract(
  name: string,
  createHarness: () => IdempotencyStoreContractHarness | Promise<IdempotencyStoreContractHarness>,
  api: ContractTestApi = globalTestApi(),
): void {
  const { describe, it, expect, beforeAll, afterAll } = api;
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

    it('a resent claim of the same owner wins again (its first reply was lost)', async () => {
      const key = newKey();
      expect(await store.claim(key, 'owner-a', 10_000)).toEqual({ claimed: true });
      expect(await store.claim(key, 'owner-a', 10_000)).toEqual({ claimed: true });
      expect(await store.claim(key, 'owner-b', 10_000)).toMatchObject({ claimed: false });
    });

    it('caches the result once done: later claims lose with the done record, the owner included', async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 10_000);
      const record = done({ synced: 3, items: ['a', 'b'], nested: { ok: true }, text: '123' });
      expect(await store.complete(key, 'owner-a', record, 60)).toEqual({ written: true, previous: { state: 'processing', owner: 'owner-a', at: expect.any(Number) } });
      expect(await store.claim(key, 'owner-b', 10_000)).toEqual({ claimed: false, record });
      expect(await store.claim(key, 'owner-a', 10_000)).toEqual({ claimed: false, record });
      expect(await store.get(key)).toEqual(record);
    });

    it('keeps results of any JSON shape, resultOmitted and dead records', async () => {
      for (const result of ['plain text', 42, null, [1, 'two'], true, { empty: [], nested: { list: [] } }]) {
        const key = newKey();
        await store.complete(key, 'owner', done(result), 60);
        expect(await store.get(key)).toEqual(done(result));
      }
      for (const record of [
        { state: 'done', resultOmitted: true, at: 5 },
        { state: 'done', dead: true, error: 'PermanentError: user deleted', at: 6 },
      ] satisfies DoneRecord[]) {
        const key = newKey();
        await store.complete(key, 'owner', record, 60);
        expect(await store.get(key)).toEqual(record);
      }
    });

    it("complete never overwrites another owner's claim or a done record", async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 10_000);
      const stale = await store.complete(key, 'stale', done('stale result'), 60);
      expect(stale).toEqual({ written: false, previous: { state: 'processing', owner: 'owner-a', at: expect.any(Number) } });
      await store.complete(key, 'owner-a', done('first'), 60);
      expect(await store.complete(key, 'owner-a', done('second'), 60)).toEqual({ written: false, previous: done('first') });
      expect(await store.complete(key, 'owner-b', { state: 'done', dead: true, error: 'late failure', at: 7 }, 60)).toMatchObject({ written: false });
      expect(await store.get(key)).toEqual(done('first'));
    });

    it('complete writes on a free key (a run whose lease lapsed, or that ran without a claim)', async () => {
      const key = newKey();
      expect(await store.complete(key, 'unclaimed', done('ran anyway'), 60)).toEqual({ written: true, previous: null });
      expect(await store.get(key)).toEqual(done('ran anyway'));
    });

    it('renews only for the owner: the claim outlives its first lease, and a lapsed claim cannot be renewed', async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 300);
      expect(await store.renew(key, 'owner-b', 10_000)).toBe(false);
      await harness.elapse(150);
      expect(await store.renew(key, 'owner-a', 300)).toBe(true);
      await harness.elapse(200);
      expect(await store.get(key)).toMatchObject({ state: 'processing', owner: 'owner-a' });
      await harness.elapse(250);
      expect(await store.get(key)).toBeNull();
      expect(await store.renew(key, 'owner-a', 300)).toBe(false);
    });

    it('renewing a done record does nothing', async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 10_000);
      await store.complete(key, 'owner-a', done('r'), 60);
      expect(await store.renew(key, 'owner-a', 10_000)).toBe(false);
      expect(await store.get(key)).toEqual(done('r'));
    });

    it('releases only for the owner, after which the next claim wins', async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 10_000);
      expect(await store.release(key, 'owner-b')).toEqual({ written: false, previous: { state: 'processing', owner: 'owner-a', at: expect.any(Number) } });
      expect(await store.get(key)).toMatchObject({ state: 'processing', owner: 'owner-a' });
      expect(await store.release(key, 'owner-a')).toEqual({ written: true, previous: { state: 'processing', owner: 'owner-a', at: expect.any(Number) } });
      expect(await store.get(key)).toBeNull();
      expect(await store.claim(key, 'owner-b', 10_000)).toEqual({ claimed: true });
    });

    it('does nothing when releasing a completed or missing key', async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 10_000);
      await store.complete(key, 'owner-a', done('r'), 60);
      expect(await store.release(key, 'owner-a')).toEqual({ written: false, previous: done('r') });
      expect(await store.get(key)).toEqual(done('r'));
      expect(await store.release(newKey(), 'owner-a')).toEqual({ written: false, previous: null });
    });

    it("marks a claim dead-lettered (whoever holds it), keeps its lease, and hands the mark to the owner's writes", async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 400);
      expect(await store.markDeadLettered(key, 'dl-1')).toEqual({ state: 'processing', owner: 'owner-a', at: expect.any(Number), deadLetterId: 'dl-1' });
      expect(await store.renew(key, 'owner-a', 400)).toBe(true);
      expect(await store.get(key)).toMatchObject({ deadLetterId: 'dl-1' });
      expect(await store.complete(key, 'owner-a', done('after all'), 60)).toEqual({
        written: true,
        previous: { state: 'processing', owner: 'owner-a', at: expect.any(Number), deadLetterId: 'dl-1' },
      });
      expect(await store.markDeadLettered(key, 'dl-2')).toEqual(done('after all'));
      expect(await store.markDeadLettered(newKey(), 'dl-3')).toBeNull();

      const lapsing = newKey();
      await store.claim(lapsing, 'owner-a', 150);
      await store.markDeadLettered(lapsing, 'dl-4');
      await harness.elapse(250);
      expect(await store.get(lapsing)).toBeNull();
    });

    it('lets the next claim win once the lease expires (crash mid-job)', async () => {
      const key = newKey();
      await store.claim(key, 'crashed', 150);
      expect((await store.claim(key, 'early', 150)).claimed).toBe(false);
      await harness.elapse(250);
      expect(await store.get(key)).toBeNull();
      expect(await store.claim(key, 'next', 10_000)).toEqual({ claimed: true });
      expect((await store.release(key, 'crashed')).written).toBe(false);
      expect((await store.complete(key, 'crashed', done('late'), 60)).written).toBe(false);
      expect(await store.get(key)).toMatchObject({ owner: 'next' });
    });

    it('honours the done record TTL', async () => {
      const key = newKey();
      await store.claim(key, 'owner-a', 10_000);
      await store.complete(key, 'owner-a', done('short-lived'), 1);
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
      expect((await store.release(a, 'owner-a')).written).toBe(true);
      expect(await store.get(b)).toMatchObject({ owner: 'owner-b' });
    });
  });
}
