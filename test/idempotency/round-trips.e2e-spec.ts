import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { UpstashLocal, UpstashLocalStats } from '../../libs/upstash-local/src/index.js';
import { DeadLetterService, PermanentError, RetryableError } from '../../libs/cloud-tasks/src/index.js';
import { bootApp, controlledHandler, fastQueue, gate, newEnvelope, startStore, type IdemApp } from './support/idempotency-app.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';

const JOB = 'idem-round-trips';
const QUEUES = { [JOB]: fastQueue('idem-round-trips-queue') };
const Work = controlledHandler(JOB);

/** The commands upstash-local received, and over how many HTTP requests. */
function counted(stats: UpstashLocalStats): { commands: number; requests: number; byName: Record<string, number> } {
  return { commands: stats.commands, requests: stats.requests, byName: stats.commandsByName };
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('store round trips per delivery, counted at upstash-local (DESIGN §5, §10)', () => {
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

    it('a successful job costs exactly 2 commands in 2 requests: the claim SET and the complete SET', async () => {
      const body = newEnvelope(JOB, { userId: 'u-rt' });
      store.resetStats();
      const res = await t.deliver(JOB, body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, result: { ok: true } });
      expect(counted(store.stats())).toEqual({ commands: 2, requests: 2, byName: { SET: 2 } });
    });

    it('a duplicate of a completed job costs 2 commands: the lost claim SET and a GET of the record', async () => {
      const body = newEnvelope(JOB, {});
      await t.deliver(JOB, body);
      store.resetStats();
      const dup = await t.deliver(JOB, body);
      expect(dup.body).toEqual({ success: true, duplicate: true, result: { ok: true } });
      expect(counted(store.stats())).toEqual({ commands: 2, requests: 2, byName: { SET: 1, GET: 1 } });
    });

    it('a duplicate while the job runs (409) costs 2 commands: SET + GET', async () => {
      const held = gate();
      t.processor(Work).behaviour = () => held.promise.then(() => ({ ok: true }));
      const body = newEnvelope(JOB, {});
      const before = t.processor(Work).calls.length;
      const running = t.deliver(JOB, body);
      await t.processor(Work).calledTimes(before + 1); // the claim is taken before the processor starts
      store.resetStats();
      const busy = await t.deliver(JOB, body);
      expect(busy.status).toBe(409);
      expect(counted(store.stats())).toEqual({ commands: 2, requests: 2, byName: { SET: 1, GET: 1 } });
      held.resolve();
      expect((await running).status).toBe(200);
    });

    it('a retryable failure costs the claim SET plus the compare-and-delete release (EVALSHA, + EVAL on a cold script cache)', async () => {
      t.processor(Work).behaviour = () => {
        throw new RetryableError('flaky dependency');
      };
      const body = newEnvelope(JOB, {});
      store.resetStats();
      const res = await t.deliver(JOB, body);
      expect(res.status).toBe(500);
      const { byName, commands } = counted(store.stats());
      expect(byName.SET).toBe(1);
      expect(byName.EVALSHA).toBe(1);
      expect(commands).toBe(2 + (byName.EVAL ?? 0));
      expect(byName.EVAL ?? 0).toBeLessThanOrEqual(1);
      // The claim was released: the retry runs.
      t.processor(Work).behaviour = () => ({ ok: 'second try' });
      expect((await t.deliver(JOB, body, { headers: { 'x-cloudtasks-taskretrycount': '1' } })).body).toEqual({ success: true, result: { ok: 'second try' } });
    });

    it('a permanent failure costs the claim SET, one MULTI/EXEC request saving the dead letter (SET + 2 × ZADD/EXPIRE), and the done SET', async () => {
      t.processor(Work).behaviour = () => {
        throw new PermanentError('bad data');
      };
      const body = newEnvelope(JOB, {});
      store.resetStats();
      const res = await t.deliver(JOB, body);
      expect(res.status).toBe(202);
      const stats = store.stats();
      expect(stats.requestsByEndpoint.multiExec).toBe(1);
      expect(stats.commandsByName).toEqual({ SET: 3, ZADD: 2, EXPIRE: 2 });
      expect(stats.requests).toBe(3);
      // Clean the shared Redis: the dead letter of this test.
      const dead = (await t.app.get(DeadLetterService).list({ jobName: JOB, limit: 100 })).items.filter((d) => d.idempotencyKey === body.idempotencyKey);
      expect(dead).toHaveLength(1);
      for (const d of dead) await t.app.get(DeadLetterService).discard(d.id);
    });
  });
});
