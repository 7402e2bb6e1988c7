import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { UpstashLocal, UpstashLocalStats } from '../../libs/upstash-local/src/index.js';
import { DeadLetterService, PermanentError, RetryableError } from '../../libs/cloud-tasks/src/index.js';
import { bootApp, controlledHandler, fastQueue, gate, newEnvelope, startStore, type IdemApp } from './support/idempotency-app.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';

const JOB = 'idem-round-trips';
const QUEUES = { [JOB]: fastQueue('idem-round-trips-queue') };
const Work = controlledHandler(JOB);

/**
 * The commands upstash-local received, and over how many HTTP requests. Each protocol step is one script call
 * (EVALSHA); when Redis does not know a script (a cold cache, or another suite's SCRIPT FLUSH on the shared Redis) the
 * client resends it once as EVAL: those resends are counted apart.
 */
function counted(stats: UpstashLocalStats): { commands: number; requests: number; byName: Record<string, number> } {
  const { EVAL: resent = 0, ...byName } = stats.commandsByName;
  expect(resent).toBeLessThanOrEqual(byName.EVALSHA ?? 0);
  return { commands: stats.commands - resent, requests: stats.requests - resent, byName };
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('store round trips per delivery, counted at upstash-local', () => {
    let store: UpstashLocal;
    let t: IdemApp;

    beforeAll(async () => {
      store = await startStore();
      t = await bootApp({ adapter, upstash: store, queues: QUEUES, handlers: [Work] });
    });

    afterAll(async () => {
      await t?.close();
      await store?.close();
    });

    beforeEach(() => {
      t.processor(Work).behaviour = () => ({ ok: true });
    });

    it('a successful job costs exactly 2 commands in 2 requests: the claim script and the owner-checked complete script', async () => {
      const body = newEnvelope(JOB, { userId: 'u-rt' });
      store.resetStats();
      const res = await t.deliver(JOB, body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, result: { ok: true } });
      expect(counted(store.stats())).toEqual({ commands: 2, requests: 2, byName: { EVALSHA: 2 } });
    });

    it('a duplicate of a completed job costs 1 command: the lost claim answers with the record', async () => {
      const body = newEnvelope(JOB, {});
      await t.deliver(JOB, body);
      store.resetStats();
      const dup = await t.deliver(JOB, body);
      expect(dup.body).toEqual({ success: true, duplicate: true, result: { ok: true } });
      expect(counted(store.stats())).toEqual({ commands: 1, requests: 1, byName: { EVALSHA: 1 } });
    });

    it('a duplicate while the job runs (409) costs 1 command', async () => {
      const held = gate();
      t.processor(Work).behaviour = () => held.promise.then(() => ({ ok: true }));
      const body = newEnvelope(JOB, {});
      const before = t.processor(Work).calls.length;
      const running = t.deliver(JOB, body);
      await t.processor(Work).calledTimes(before + 1); // the claim is taken before the processor starts
      store.resetStats();
      const busy = await t.deliver(JOB, body);
      expect(busy.status).toBe(409);
      expect(counted(store.stats())).toEqual({ commands: 1, requests: 1, byName: { EVALSHA: 1 } });
      held.resolve();
      expect((await running).status).toBe(200);
    });

    it('a retryable failure costs 2 commands: the claim and the owner-checked release', async () => {
      t.processor(Work).behaviour = () => {
        throw new RetryableError('flaky dependency');
      };
      const body = newEnvelope(JOB, {});
      store.resetStats();
      const res = await t.deliver(JOB, body);
      expect(res.status).toBe(500);
      expect(counted(store.stats())).toEqual({ commands: 2, requests: 2, byName: { EVALSHA: 2 } });
      // The claim was released: the retry runs.
      t.processor(Work).behaviour = () => ({ ok: 'second try' });
      expect((await t.deliver(JOB, body, { headers: { 'x-cloudtasks-taskretrycount': '1' } })).body).toEqual({ success: true, result: { ok: 'second try' } });
    });

    it('a permanent failure costs the claim, a renewal proving the claim is still held, one MULTI/EXEC saving the dead letter (SET + 2 × ZADD/EXPIRE), and the done record', async () => {
      t.processor(Work).behaviour = () => {
        throw new PermanentError('bad data');
      };
      const body = newEnvelope(JOB, {});
      store.resetStats();
      const res = await t.deliver(JOB, body);
      expect(res.status).toBe(202);
      expect(store.stats().requestsByEndpoint.multiExec).toBe(1);
      expect(counted(store.stats())).toEqual({ commands: 8, requests: 4, byName: { EVALSHA: 3, SET: 1, ZADD: 2, EXPIRE: 2 } });
      // Clean the shared Redis: the dead letter of this test.
      const dead = (await t.app.get(DeadLetterService).list({ jobName: JOB, limit: 100 })).items.filter((d) => d.idempotencyKey === body.idempotencyKey);
      expect(dead).toHaveLength(1);
      for (const d of dead) await t.app.get(DeadLetterService).discard(d.id);
    });
  });
});
