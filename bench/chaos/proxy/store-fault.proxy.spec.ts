import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { seededRandom } from '../lib/random.js';
import { closeServer, listenLocal } from './local-server.js';
import { StoreFaultProxy } from './store-fault.proxy.js';

/** A stand-in store that records each command it applied and answers `{ result: n }`. */
function startStore(): Promise<{ url: string; applied: string[]; close(): Promise<void> }> {
  const applied: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      applied.push(Buffer.concat(chunks).toString());
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: applied.length }));
    });
  });
  return listenLocal(server).then((url) => ({ url, applied, close: () => closeServer(server) }));
}

async function send(url: string, command: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', body: command, headers: { authorization: 'Bearer t' } });
  return res.json();
}

describe('StoreFaultProxy', () => {
  let store: Awaited<ReturnType<typeof startStore>>;
  let proxy: StoreFaultProxy | undefined;

  beforeAll(async () => {
    store = await startStore();
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    store.applied.length = 0;
  });
  afterAll(() => store.close());

  it('passes requests and replies through unchanged when no fault is set', async () => {
    proxy = await StoreFaultProxy.start({ upstream: store.url });
    await expect(send(proxy.url, '["SET","k","v"]')).resolves.toEqual({ result: 1 });
    expect(store.applied).toEqual(['["SET","k","v"]']);
    expect(proxy.stats()).toEqual({ forwarded: 1, repliesDropped: 0, blackedOut: 0, upstreamErrors: 0 });
  });

  it('drops the reply after the store applied the request: the client sees a network error, the command took effect', async () => {
    proxy = await StoreFaultProxy.start({ upstream: store.url, dropReplies: 1 });
    await expect(send(proxy.url, '["SET","k","v","NX"]')).rejects.toThrow('fetch failed');
    expect(store.applied).toEqual(['["SET","k","v","NX"]']);
    expect(proxy.stats()).toEqual({ forwarded: 1, repliesDropped: 1, blackedOut: 0, upstreamErrors: 0 });
  });

  it('drops the share of replies its seeded randomness picks, the same ones for the same seed', async () => {
    const picks = (() => {
      const random = seededRandom(9);
      return Array.from({ length: 100 }, () => random() < 0.2);
    })();
    proxy = await StoreFaultProxy.start({ upstream: store.url, dropReplies: 0.2, random: seededRandom(9) });
    const outcomes: boolean[] = [];
    for (let i = 0; i < 100; i++) outcomes.push(await send(proxy.url, `["INCR","n${i}"]`).then(() => false, () => true));
    expect(outcomes).toEqual(picks);
    expect(store.applied).toHaveLength(100);
    expect(proxy.stats().repliesDropped).toBe(picks.filter(Boolean).length);
  });

  it('during a blackout refuses every request without forwarding it, and recovers after', async () => {
    proxy = await StoreFaultProxy.start({ upstream: store.url });
    proxy.blackout(true);
    await expect(send(proxy.url, '["GET","k"]')).rejects.toThrow('fetch failed');
    expect(store.applied).toEqual([]);
    proxy.blackout(false);
    await expect(send(proxy.url, '["GET","k"]')).resolves.toEqual({ result: 1 });
    expect(proxy.stats()).toEqual({ forwarded: 1, repliesDropped: 0, blackedOut: 1, upstreamErrors: 0 });
  });

  it('turns an unreachable store into a network error, and follows the store to its new address', async () => {
    proxy = await StoreFaultProxy.start({ upstream: 'http://127.0.0.1:1' });
    await expect(send(proxy.url, '["GET","k"]')).rejects.toThrow('fetch failed');
    expect(proxy.stats().upstreamErrors).toBe(1);
    proxy.setUpstream(store.url);
    await expect(send(proxy.url, '["GET","k"]')).resolves.toEqual({ result: 1 });
  });
});
