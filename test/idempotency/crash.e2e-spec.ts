import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from '@upstash/redis';
import type { UpstashLocal } from '../../libs/upstash-local/src/index.js';
import { RetryableError } from '../../libs/cloud-tasks/src/index.js';
import { adminClient, bootApp, controlledHandler, fastQueue, gate, newEnvelope, recordKeyOf, sleep, startStore, type IdemApp } from './support/idempotency-app.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';

const JOB = 'idem-crash';
const QUEUES = { [JOB]: fastQueue('idem-crash-queue') };
const Work = controlledHandler(JOB);
/** The claim lease of these apps (idempotency.leaseSeconds; the library's default is 15 s). */
const LEASE_MS = 2_500;

/** Waits until the key is gone from Redis (its lease expired), polling its PTTL. */
async function leaseExpired(admin: Redis, key: string, timeoutMs = LEASE_MS + 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const pttl = await admin.pttl(recordKeyOf(JOB, key));
    if (pttl === -2) return;
    if (Date.now() > until) throw new Error(`the claim on ${key} still had a PTTL of ${pttl} ms after ${timeoutMs} ms`);
    await sleep(Math.min(Math.max(pttl, 20), 200));
  }
}

/** Resolves once the store has received the release script (EVALSHA, or EVAL after NOSCRIPT) since its last reset. */
async function releaseSeen(store: UpstashLocal, timeoutMs: number): Promise<void> {
  const released = () => (store.stats().commandsByName.EVALSHA ?? 0) + (store.stats().commandsByName.EVAL ?? 0) > 0;
  for (const until = Date.now() + timeoutMs; !released(); await sleep(10)) {
    if (Date.now() > until) throw new Error(`no release reached the store within ${timeoutMs} ms`);
  }
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('a delivery that dies mid-job (client gone, app closed) leaves a lease that blocks, then expires', () => {
    let store: UpstashLocal;
    let admin: Redis;
    const apps: IdemApp[] = [];
    const hung = gate<unknown>();
    hung.promise.catch(() => undefined); // rejected at the end, whether or not a processor is still waiting on it
    let zombieReleased = false;

    beforeAll(async () => {
      store = await startStore();
      admin = adminClient(store);
    });

    afterAll(async () => {
      if (!zombieReleased) {
        // NOTE: let the zombie's release reach the store before it closes (the client would retry for seconds otherwise).
        store?.resetStats();
        hung.reject(new RetryableError('zombie released at cleanup'));
        await releaseSeen(store, 2_000).catch(() => undefined);
      }
      for (const app of apps) await app.close();
      await store?.close();
    });

    it('until the lease expires a fresh app answers 409; after it, the next delivery runs the job once; the zombie cannot undo it', async () => {
      const first = await bootApp({ adapter, upstash: store, queues: QUEUES, handlers: [Work], leaseSeconds: LEASE_MS / 1000 });
      apps.push(first);
      const firstWork = first.processor(Work);
      firstWork.behaviour = () => hung.promise;
      const body = newEnvelope(JOB, { userId: 'u-crash' });
      const recordKey = recordKeyOf(JOB, body.idempotencyKey);

      // 1. The delivery starts, claims the key, and hangs in the processor.
      const client = new AbortController();
      const dying = first.deliver(JOB, body, { signal: client.signal });
      await firstWork.calledTimes(1);
      const enteredAt = Date.now();
      const claim = await admin.get<{ state: string; owner: string }>(recordKey);
      expect(claim).toEqual(expect.objectContaining({ state: 'processing', owner: expect.any(String) }));
      const pttl = await admin.pttl(recordKey);
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(LEASE_MS);

      // 2. Cloud Tasks gives up on the request and the instance goes away while the processor still hangs.
      client.abort();
      await expect(dying).rejects.toThrow();
      await first.close();

      // 3. A fresh instance on the same store: the claim is still held, so the job must not run again yet.
      const second = await bootApp({ adapter, upstash: store, queues: QUEUES, handlers: [Work], leaseSeconds: LEASE_MS / 1000 });
      apps.push(second);
      const secondWork = second.processor(Work);
      secondWork.behaviour = () => ({ completedBy: 'second' });
      expect(Date.now() - enteredAt).toBeLessThan(LEASE_MS - 300); // the 409 below is only meaningful inside the lease
      const blocked = await second.deliver(JOB, body, { headers: { 'x-cloudtasks-taskretrycount': '1' } });
      expect(blocked.status).toBe(409);
      expect(blocked.body).toEqual({ error: expect.stringContaining('being processed by another delivery'), retryable: true });
      expect(secondWork.runs(body.idempotencyKey)).toBe(0);
      expect(await admin.get(recordKey)).toEqual(claim);

      // 4. The lease runs out: the next delivery claims and runs the job, once.
      await leaseExpired(admin, body.idempotencyKey);
      expect(Date.now() - enteredAt).toBeGreaterThanOrEqual(LEASE_MS - 100);
      const rerun = await second.deliver(JOB, body, { headers: { 'x-cloudtasks-taskretrycount': '2' } });
      expect(rerun.status).toBe(200);
      expect(rerun.body).toEqual({ success: true, result: { completedBy: 'second' } });
      const again = await second.deliver(JOB, body, { headers: { 'x-cloudtasks-taskretrycount': '2' } });
      expect(again.body).toEqual({ success: true, duplicate: true, result: { completedBy: 'second' } });
      expect(secondWork.runs(body.idempotencyKey)).toBe(1);
      expect(firstWork.runs(body.idempotencyKey)).toBe(1);

      // 5. The zombie finally fails (retryable): its release is a compare-and-delete on its own claim, so the done record stays.
      store.resetStats();
      zombieReleased = true;
      hung.reject(new RetryableError('zombie gave up'));
      await releaseSeen(store, 2_000);
      expect(await admin.get(recordKey)).toEqual(expect.objectContaining({ state: 'done', result: { completedBy: 'second' } }));
      const afterZombie = await second.deliver(JOB, body);
      expect(afterZombie.body).toEqual({ success: true, duplicate: true, result: { completedBy: 'second' } });
      expect(secondWork.runs(body.idempotencyKey)).toBe(1);
    });
  });
});
