import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from '@upstash/redis';
import type { UpstashLocal } from '../../libs/upstash-local/src/index.js';
import { startEmulator, type CloudTasksEmulator } from '../../libs/cloud-tasks-emulator/src/index.js';
import { DeadLetterService, PermanentError, RetryableError } from '../../libs/cloud-tasks/src/index.js';
import { ClaimRenewer } from '../../libs/cloud-tasks/src/idempotency/claim-renewer.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { adminClient, bootApp, controlledHandler, fastQueue, gate, newEnvelope, recordKeyOf, sleep, startStore, type IdemApp } from './support/idempotency-app.js';

const JOB = 'idem-claims';
/** Three attempts: a delivery with retry count 2 is the task's final one. */
const QUEUES = { [JOB]: { ...fastQueue('idem-claims-queue', 3), dispatchDeadline: 15 } };
const FINAL = { 'x-cloudtasks-taskretrycount': '2' };
const Work = controlledHandler(JOB);
/** The emulator clock runs this much faster: a 15 s deadline is 150 ms of real time (a lease, at least a second). */
const TIME_SCALE = 100;

/**
 * An HTTP proxy in front of upstash-local that forwards every request and, for the next `dropReplies` of them, lets
 * Redis apply the command and then drops the reply (the client's socket is destroyed), as a lost network reply would.
 */
async function replyDroppingProxy(target: string): Promise<{ url: string; dropReplies: number; dropped: number; close(): Promise<void> }> {
  const upstream = new URL(target);
  const state = { dropReplies: 0, dropped: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (c: Buffer) => body.push(c));
        answer.on('end', () => {
          if (state.dropReplies > 0) {
            state.dropReplies--;
            state.dropped++;
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body));
        });
      });
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('claims: short leases renewed while the job runs, owner-checked writes, the final attempt never a silent 409', () => {
    let store: UpstashLocal;
    let admin: Redis;
    let emulator: CloudTasksEmulator;
    const apps: IdemApp[] = [];

    /** An app on the shared store whose leases follow the emulator's clock (×100): a 15 s lease is 150 ms. */
    async function scaledApp(upstash: { url: string; token: string } = store): Promise<IdemApp> {
      const app = await bootApp({ adapter, upstash, queues: QUEUES, handlers: [Work], options: { emulatorHost: emulator.grpcAddress } });
      apps.push(app);
      return app;
    }

    beforeAll(async () => {
      store = await startStore();
      admin = adminClient(store);
      emulator = await startEmulator({ timeScale: TIME_SCALE });
    });

    afterAll(async () => {
      for (const app of apps) await app.close();
      await emulator?.close();
      await store?.close();
    });

    it('leases follow the emulator clock (a 400 s lease is 4 s of real time at ×100), never under one real second', async () => {
      const app = await bootApp({ adapter, upstash: store, queues: QUEUES, handlers: [Work], leaseSeconds: 300, options: { emulatorHost: emulator.grpcAddress } });
      apps.push(app);
      const held = gate();
      app.processor(Work).behaviour = () => held.promise;
      const body = newEnvelope(JOB);
      const running = app.deliver(JOB, body);
      await app.processor(Work).calledTimes(app.processor(Work).calls.length + 1);
      const pttl = await admin.pttl(recordKeyOf(JOB, body.idempotencyKey));
      expect(pttl).toBeGreaterThan(2_000);
      expect(pttl).toBeLessThanOrEqual(3_000);
      held.resolve();
      expect((await running).status).toBe(200);

      const floored = await scaledApp(); // the default 15 s lease would be 150 ms at ×100: one second instead
      const hold = gate();
      floored.processor(Work).behaviour = () => hold.promise;
      const other = newEnvelope(JOB);
      const pending = floored.deliver(JOB, other);
      await floored.processor(Work).calledTimes(floored.processor(Work).calls.length + 1);
      const floorPttl = await admin.pttl(recordKeyOf(JOB, other.idempotencyKey));
      expect(floorPttl).toBeGreaterThan(500);
      expect(floorPttl).toBeLessThanOrEqual(1_000);
      hold.resolve();
      expect((await pending).status).toBe(200);
    });

    it("a job running for many leases keeps its claim (renewed), so a duplicate meanwhile is 409, then a duplicate of the result", async () => {
      const app = await scaledApp();
      const work = app.processor(Work);
      const held = gate();
      work.behaviour = async (_data, job) => {
        await held.promise;
        return { key: job.idempotencyKey };
      };
      const body = newEnvelope(JOB);
      const before = work.calls.length;
      const running = app.deliver(JOB, body);
      await work.calledTimes(before + 1);
      await sleep(2_500); // two and a half leases of one second
      const busy = await app.deliver(JOB, body, { headers: { 'x-cloudtasks-taskretrycount': '1' } });
      expect(busy.status).toBe(409);
      held.resolve();
      expect((await running).status).toBe(200);
      expect((await app.deliver(JOB, body)).body).toEqual({ success: true, duplicate: true, result: { key: body.idempotencyKey } });
      expect(work.runs(body.idempotencyKey)).toBe(1);
    });

    it('the final attempt waits for a crashed delivery\'s claim to lapse, then runs the job (no 409)', async () => {
      const crashed = await scaledApp();
      const hung = gate();
      hung.promise.catch(() => undefined);
      crashed.processor(Work).behaviour = () => hung.promise;
      // NOTE: a 300 s deadline gives the final attempt 2.7 s of real time to outwait a one-second lease.
      const body = { ...newEnvelope(JOB), dispatchDeadline: 300 };
      const client = new AbortController();
      const dying = crashed.deliver(JOB, body, { signal: client.signal });
      await crashed.processor(Work).calledTimes(crashed.processor(Work).calls.length + 1);
      client.abort();
      await expect(dying).rejects.toThrow();
      await crashed.close(); // its renewals stop, as in a crash: the claim lapses within one lease

      const next = await scaledApp();
      next.processor(Work).behaviour = () => ({ ranBy: 'final attempt' });
      const final = await next.deliver(JOB, body, { headers: FINAL });
      expect(final.status).toBe(200);
      expect(final.body).toEqual({ success: true, result: { ranBy: 'final attempt' } });
      hung.reject(new RetryableError('zombie gives up'));
    });

    it('the final attempt, finding the job still running elsewhere until its deadline, records a dead letter that the holder removes when it completes', async () => {
      const holder = await scaledApp();
      const other = await scaledApp();
      const held = gate();
      holder.processor(Work).behaviour = async () => {
        await held.promise;
        return { ok: 'after all' };
      };
      const body = newEnvelope(JOB);
      const running = holder.deliver(JOB, body);
      await holder.processor(Work).calledTimes(holder.processor(Work).calls.length + 1);

      const final = await other.deliver(JOB, body, { headers: FINAL });
      expect(final.status).toBe(202);
      expect(final.headers.get('x-job-outcome')).toBe('dead');
      expect(String(final.body.error)).toContain("final attempt found this job still running in another delivery");
      const deadLetters = other.app.get(DeadLetterService);
      const letters = async () => (await deadLetters.list({ jobName: JOB, limit: 100 })).items.filter((d) => d.idempotencyKey === body.idempotencyKey);
      expect(await letters()).toHaveLength(1);
      expect(await admin.get(recordKeyOf(JOB, body.idempotencyKey))).toMatchObject({ state: 'processing', deadLetterId: (await letters())[0].id });

      held.resolve();
      expect((await running).status).toBe(200);
      expect(await letters()).toEqual([]);
      expect(await admin.get(recordKeyOf(JOB, body.idempotencyKey))).toMatchObject({ state: 'done', result: { ok: 'after all' } });
    });

    it('…and when the holder then fails, the dead letter stays and the job is recorded dead', async () => {
      const holder = await scaledApp();
      const other = await scaledApp();
      const held = gate();
      holder.processor(Work).behaviour = async () => {
        await held.promise;
        throw new RetryableError('upstream still down');
      };
      const body = newEnvelope(JOB);
      const running = holder.deliver(JOB, body);
      await holder.processor(Work).calledTimes(holder.processor(Work).calls.length + 1);
      expect((await other.deliver(JOB, body, { headers: FINAL })).status).toBe(202);

      held.resolve();
      expect((await running).status).toBe(500);
      const letters = (await other.app.get(DeadLetterService).list({ jobName: JOB, limit: 100 })).items.filter((d) => d.idempotencyKey === body.idempotencyKey);
      expect(letters).toHaveLength(1);
      expect(await admin.get(recordKeyOf(JOB, body.idempotencyKey))).toMatchObject({ state: 'done', dead: true, error: 'RetryableError: upstream still down' });
      for (const letter of letters) await other.app.get(DeadLetterService).discard(letter.id);
    });

    it('a stale delivery that outlived its claim cannot overwrite the record of the delivery that completed the job', async () => {
      const stale = await scaledApp();
      const held = gate();
      stale.processor(Work).behaviour = async () => {
        await held.promise;
        return { by: 'stale' };
      };
      const body = newEnvelope(JOB);
      const running = stale.deliver(JOB, body);
      await stale.processor(Work).calledTimes(stale.processor(Work).calls.length + 1);
      // The stale app stops renewing (as a process stalled past its lease would) while its processor still runs.
      stale.app.get(ClaimRenewer).onApplicationShutdown();
      await sleep(1_300);
      const fresh = await scaledApp();
      fresh.processor(Work).behaviour = () => ({ by: 'fresh' });
      expect((await fresh.deliver(JOB, body, { headers: { 'x-cloudtasks-taskretrycount': '1' } })).body).toEqual({ success: true, result: { by: 'fresh' } });
      held.resolve();
      // Its answer no longer matters (Cloud Tasks stopped waiting); what it writes does: nothing over the done record.
      expect((await running).status).toBe(200);
      expect(await admin.get(recordKeyOf(JOB, body.idempotencyKey))).toMatchObject({ state: 'done', result: { by: 'fresh' } });
      // NOTE: Nest's Logger writes to the logger of the app created last (both apps here share the process).
      const warned = [...stale.logger.entries, ...fresh.logger.entries].map((e) => e.message as { msg?: string; found?: string });
      expect(warned).toContainEqual(expect.objectContaining({ msg: 'a delivery finished after it lost its claim: its outcome is not recorded', found: 'done' }));
    });

    it('a stale delivery failing after another delivery completed the job records no (false) dead letter', async () => {
      const stale = await scaledApp();
      const held = gate();
      stale.processor(Work).behaviour = async () => {
        await held.promise;
        throw new PermanentError('late failure of a stale delivery');
      };
      const body = newEnvelope(JOB);
      const running = stale.deliver(JOB, body);
      await stale.processor(Work).calledTimes(stale.processor(Work).calls.length + 1);
      stale.app.get(ClaimRenewer).onApplicationShutdown();
      await sleep(1_300);
      const fresh = await scaledApp();
      fresh.processor(Work).behaviour = () => ({ by: 'fresh' });
      expect((await fresh.deliver(JOB, body, { headers: { 'x-cloudtasks-taskretrycount': '1' } })).status).toBe(200);
      held.resolve();
      expect((await running).status).toBe(500);
      const letters = (await fresh.app.get(DeadLetterService).list({ jobName: JOB, limit: 100 })).items.filter((d) => d.idempotencyKey === body.idempotencyKey);
      expect(letters).toEqual([]);
      expect(await admin.get(recordKeyOf(JOB, body.idempotencyKey))).toMatchObject({ state: 'done', result: { by: 'fresh' } });
    });

    it("a final attempt whose process dies while it runs leaves a dead letter (recorded before it ran); one that ends removes it", async () => {
      const dying = await scaledApp();
      const hung = gate();
      hung.promise.catch(() => undefined);
      dying.processor(Work).behaviour = () => hung.promise;
      const body = newEnvelope(JOB);
      const client = new AbortController();
      const request = dying.deliver(JOB, body, { headers: FINAL, signal: client.signal });
      await dying.processor(Work).calledTimes(dying.processor(Work).calls.length + 1);
      client.abort();
      await expect(request).rejects.toThrow();
      await dying.close();
      const letters = async () => (await (await scaledApp()).app.get(DeadLetterService).list({ jobName: JOB, limit: 100 })).items.filter((d) => d.idempotencyKey === body.idempotencyKey);
      expect((await letters()).map((d) => d.error)).toEqual([expect.stringContaining("The task's final attempt did not finish")]);
      hung.reject(new RetryableError('zombie gives up'));
      for (const letter of await letters()) await apps[apps.length - 1].app.get(DeadLetterService).discard(letter.id);

      const finishing = await scaledApp();
      finishing.processor(Work).behaviour = () => ({ ok: true });
      const ends = newEnvelope(JOB);
      expect((await finishing.deliver(JOB, ends, { headers: FINAL })).status).toBe(200);
      expect((await finishing.app.get(DeadLetterService).list({ jobName: JOB, limit: 100 })).items.filter((d) => d.idempotencyKey === ends.idempotencyKey)).toEqual([]);
    });

    it('a claim whose reply was lost is resent by the client and counts as won: the job runs once', async () => {
      const proxy = await replyDroppingProxy(store.url);
      try {
        const app = await scaledApp({ url: proxy.url, token: store.token });
        const work = app.processor(Work);
        work.behaviour = (_data, job) => ({ key: job.idempotencyKey });
        const body = newEnvelope(JOB);
        proxy.dropReplies = 1;
        const res = await app.deliver(JOB, body);
        expect(proxy.dropped).toBe(1);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ success: true, result: { key: body.idempotencyKey } });
        expect(work.runs(body.idempotencyKey)).toBe(1);
      } finally {
        await proxy.close();
      }
    });
  });
});
