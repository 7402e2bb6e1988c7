import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { UpstashLocal } from '../../libs/upstash-local/src/index.js';
import { bootApp, controlledHandler, fastQueue, gate, newEnvelope, sleep, startStore, type DeliveryAnswer, type IdemApp } from './support/idempotency-app.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';

const JOB = 'idem-concurrent';
const QUEUES = { [JOB]: fastQueue('idem-concurrent-queue') };
const Work = controlledHandler(JOB);
const N = 50;

/** Every answer but the winner's must be a duplicate of the winner's result or a 409 "being processed". */
function expectOneWinner(answers: DeliveryAnswer[], result: unknown): void {
  const winners = answers.filter((a) => a.status === 200 && a.body.duplicate === undefined);
  expect(winners).toHaveLength(1);
  expect(winners[0].body).toEqual({ success: true, result });
  for (const answer of answers.filter((a) => a !== winners[0])) {
    if (answer.status === 200) {
      expect(answer.body).toEqual({ success: true, duplicate: true, result });
    } else {
      expect(answer.status).toBe(409);
      expect(answer.body).toEqual({ error: expect.stringContaining('being processed by another delivery'), retryable: true });
    }
  }
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('idempotency under concurrent deliveries (real HTTP, Upstash store over upstash-local + Redis)', () => {
    let store: UpstashLocal;
    let a: IdemApp;
    let b: IdemApp;

    beforeAll(async () => {
      store = await startStore();
      // NOTE: two instances with their own Upstash clients, like two Cloud Run instances behind one queue.
      a = await bootApp({ adapter, upstash: store, queues: QUEUES, handlers: [Work] });
      b = await bootApp({ adapter, upstash: store, queues: QUEUES, handlers: [Work] });
    });

    afterAll(async () => {
      await a?.close();
      await b?.close();
      await store?.close();
    });

    it(`${N} concurrent deliveries of one key: the processor runs exactly once; the others get 200 duplicate or 409; a later delivery gets the cached result`, async () => {
      const work = a.processor(Work);
      work.behaviour = async (_data, job) => {
        await sleep(5);
        return { ranFor: job.idempotencyKey, at: 'a' };
      };
      const body = newEnvelope(JOB, { userId: 'u-1' });

      const answers = await Promise.all(Array.from({ length: N }, (_, i) => a.deliver(JOB, body, { headers: { 'x-cloudtasks-taskname': `t-${i}` } })));

      const result = { ranFor: body.idempotencyKey, at: 'a' };
      expect(work.runs(body.idempotencyKey)).toBe(1);
      expectOneWinner(answers, result);

      const later = await a.deliver(JOB, body);
      expect(later.status).toBe(200);
      expect(later.body).toEqual({ success: true, duplicate: true, result });
      expect(work.runs(body.idempotencyKey)).toBe(1);
    });

    it(`${N} concurrent deliveries spread over two app instances while the winner is held: ${N - 1} × 409, one run, then duplicates on both`, async () => {
      const held = gate();
      const onA = a.processor(Work);
      const onB = b.processor(Work);
      for (const p of [onA, onB]) p.behaviour = async (_data, job) => (await held.promise, { ranFor: job.idempotencyKey });
      const body = newEnvelope(JOB, { userId: 'u-2' });

      let answered = 0;
      const pending = Array.from({ length: N }, (_, i) =>
        (i % 2 ? b : a).deliver(JOB, body).then((answer) => {
          answered++;
          return answer;
        }),
      );
      // NOTE: hold the winner until every loser has its answer, so that none of them can see the job done.
      for (let i = 0; i < 500 && answered < N - 1; i++) await sleep(10);
      expect(answered).toBe(N - 1);
      expect(onA.runs(body.idempotencyKey) + onB.runs(body.idempotencyKey)).toBe(1);
      held.resolve();
      const answers = await Promise.all(pending);

      expect(onA.runs(body.idempotencyKey) + onB.runs(body.idempotencyKey)).toBe(1);
      expect(answers.filter((x) => x.status === 409)).toHaveLength(N - 1);
      expectOneWinner(answers, { ranFor: body.idempotencyKey });

      for (const app of [a, b]) {
        const later = await app.deliver(JOB, body);
        expect(later.status).toBe(200);
        expect(later.body).toEqual({ success: true, duplicate: true, result: { ranFor: body.idempotencyKey } });
      }
      expect(onA.runs(body.idempotencyKey) + onB.runs(body.idempotencyKey)).toBe(1);
    });
  });
});
