import { randomUUID } from 'node:crypto';
import type { DeadLetterRecord, DeadLetterStore } from '../../dead-letter/dead-letter-store.interface.js';
import { globalTestApi, type ContractTestApi } from './test-api.js';

/** What the contract needs from one implementation. */
export interface DeadLetterStoreContractHarness {
  /** An empty store, isolated from the stores of other tests. */
  newStore(): DeadLetterStore;
  /** Called once after the suite (close servers, delete keys). */
  dispose?(): Promise<void>;
}

/** A complete record for tests; `minute` sets failedAt to that many minutes after a fixed base time. */
export function deadLetterFixture(overrides: Partial<DeadLetterRecord> & { minute?: number } = {}): DeadLetterRecord {
  const { minute = 0, ...rest } = overrides;
  return {
    id: `dl-${randomUUID()}`,
    jobName: 'calendar-sync',
    queue: 'calendar-sync-queue',
    taskName: `task-${randomUUID().slice(0, 8)}`,
    idempotencyKey: randomUUID(),
    data: { userId: '123', token: '***' },
    payload: { userId: '123', token: 'secret-token' },
    maxAttempts: 5,
    error: 'PermanentError: user deleted',
    reason: 'permanent',
    attempts: 1,
    failedAt: new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString(),
    ...rest,
  };
}

/**
 * Defines the behaviour every {@link DeadLetterStore} must have: save/get, newest-first listing, filtering by job,
 * cursor pagination, update and delete. Call it inside a test file with a harness factory.
 */
export function describeDeadLetterStoreContract(
  name: string,
  createHarness: () => DeadLetterStoreContractHarness | Promise<DeadLetterStoreContractHarness>,
  api: ContractTestApi = globalTestApi(),
): void {
  const { describe, it, expect, beforeAll, afterAll } = api;
  describe(`DeadLetterStore contract: ${name}`, () => {
    let harness: DeadLetterStoreContractHarness;

    beforeAll(async () => {
      harness = await createHarness();
    });

    afterAll(async () => {
      await harness.dispose?.();
    });

    const ids = (records: readonly DeadLetterRecord[]): string[] => records.map((r) => r.id);

    it('saves and gets a record; a missing id is null', async () => {
      const store = harness.newStore();
      const record = deadLetterFixture({ reason: 'exhausted', attempts: 5, data: { nested: { list: [1, 'two'] } } });
      await store.save(record);
      expect(await store.get(record.id)).toEqual(record);
      expect(await store.get(`dl-${randomUUID()}`)).toBeNull();
    });

    it('lists newest first, whatever the save order, and ties by id descending', async () => {
      const store = harness.newStore();
      const records = [3, 1, 4, 0, 2].map((minute) => deadLetterFixture({ minute, id: `dl-m${minute}` }));
      const tieA = deadLetterFixture({ minute: 5, id: 'dl-tie-a' });
      const tieB = deadLetterFixture({ minute: 5, id: 'dl-tie-b' });
      for (const r of [...records, tieA, tieB]) await store.save(r);
      const page = await store.list({});
      expect(ids(page.items)).toEqual(['dl-tie-b', 'dl-tie-a', 'dl-m4', 'dl-m3', 'dl-m2', 'dl-m1', 'dl-m0']);
      expect(page.nextCursor).toBeUndefined();
      expect(page.items[2]).toEqual(records[2]);
    });

    it('filters by jobName', async () => {
      const store = harness.newStore();
      const a1 = deadLetterFixture({ minute: 1, jobName: 'send-email' });
      const b1 = deadLetterFixture({ minute: 2, jobName: 'calendar-sync' });
      const a2 = deadLetterFixture({ minute: 3, jobName: 'send-email' });
      for (const r of [a1, b1, a2]) await store.save(r);
      expect(ids((await store.list({ jobName: 'send-email' })).items)).toEqual([a2.id, a1.id]);
      expect(ids((await store.list({ jobName: 'calendar-sync' })).items)).toEqual([b1.id]);
      expect((await store.list({ jobName: 'unknown-job' })).items).toEqual([]);
      expect(ids((await store.list({})).items)).toEqual([a2.id, b1.id, a1.id]);
    });

    it('paginates with an opaque cursor until there are no more', async () => {
      const store = harness.newStore();
      const records = Array.from({ length: 7 }, (_, minute) => deadLetterFixture({ minute }));
      const other = deadLetterFixture({ minute: 30, jobName: 'other-job' });
      for (const r of [...records, other]) await store.save(r);
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ jobName: 'calendar-sync', limit: 3, cursor });
        seen.push(...ids(page.items));
        sizes.push(page.items.length);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(sizes).toEqual([3, 3, 1]);
      expect(seen).toEqual(ids([...records].reverse()));
      const exact = await store.list({ jobName: 'calendar-sync', limit: 7 });
      expect(exact.items).toHaveLength(7);
      expect(exact.nextCursor).toBeUndefined();
      const first = await store.list({ limit: 1 });
      expect(ids(first.items)).toEqual([other.id]);
      expect(typeof first.nextCursor).toBe('string');
    });

    it('defaults to 50 items per page', async () => {
      const store = harness.newStore();
      for (let minute = 0; minute < 52; minute += 1) await store.save(deadLetterFixture({ minute }));
      const page = await store.list({});
      expect(page.items).toHaveLength(50);
      expect((await store.list({ cursor: page.nextCursor })).items).toHaveLength(2);
    });

    it('updates an existing record (noting a retry) and ignores unknown ids', async () => {
      const store = harness.newStore();
      const record = deadLetterFixture({ minute: 1 });
      await store.save(record);
      const retried = { ...record, retriedAt: '2026-01-02T00:00:00.000Z', retriedAs: 'task-retry-1' };
      await store.update(retried);
      expect(await store.get(record.id)).toEqual(retried);
      expect((await store.list({})).items).toEqual([retried]);
      const ghost = deadLetterFixture();
      await store.update(ghost);
      expect(await store.get(ghost.id)).toBeNull();
      expect((await store.list({})).items).toHaveLength(1);
    });

    it('deletes a record and its listing entries; a second delete is false', async () => {
      const store = harness.newStore();
      const keep = deadLetterFixture({ minute: 1 });
      const gone = deadLetterFixture({ minute: 2 });
      await store.save(keep);
      await store.save(gone);
      expect(await store.delete(gone.id)).toBe(true);
      expect(await store.get(gone.id)).toBeNull();
      expect(ids((await store.list({})).items)).toEqual([keep.id]);
      expect(ids((await store.list({ jobName: gone.jobName })).items)).toEqual([keep.id]);
      expect(await store.delete(gone.id)).toBe(false);
    });
  });
}
