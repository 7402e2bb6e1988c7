import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { LoadBalancer } from './load-balancer.proxy.js';
import { closeServer, listenLocal } from './local-server.js';

interface Backend {
  url: string;
  bodies: string[];
  /** Requests it holds without answering (for `hang` backends). */
  held: http.ServerResponse[];
  close(): Promise<void>;
}

/** A backend answering `{ backend: name }`, or holding every request open when `hang`. */
function startBackend(name: string, { hang = false } = {}): Promise<Backend> {
  const bodies: string[] = [];
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString());
      if (hang) held.push(res);
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ backend: name }));
    });
  });
  return listenLocal(server).then((url) => ({ url, bodies, held, close: () => closeServer(server) }));
}

const envelope = (key: string) => JSON.stringify({ jobName: 'work', data: { seq: 1 }, idempotencyKey: key, enqueuedAt: '2026-01-01T00:00:00.000Z' });

async function post(url: string, body: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}/api/jobs/work`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: 'Bearer token' } });
  return { status: res.status, json: await res.json() };
}

describe('LoadBalancer', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function setUp(backends: Backend[], record = false): Promise<LoadBalancer> {
    const lb = await LoadBalancer.start({ record });
    closers.push(...backends.map((b) => () => b.close()), () => lb.close());
    backends.forEach((b, i) => lb.add(String.fromCharCode(97 + i), b.url));
    return lb;
  }

  it('spreads deliveries round robin over the active backends, and skips a removed one', async () => {
    const [a, b] = await Promise.all([startBackend('a'), startBackend('b')]);
    const lb = await setUp([a, b]);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await post(lb.url, envelope(`k${i}`))).json);
    expect(seen).toEqual([{ backend: 'a' }, { backend: 'b' }, { backend: 'a' }, { backend: 'b' }]);
    lb.remove('a');
    expect((await post(lb.url, envelope('k4'))).json).toEqual({ backend: 'b' });
    lb.remove('b');
    expect((await post(lb.url, envelope('k5'))).status).toBe(503);
  });

  it('drops the caller connection of every delivery in flight on a backend that dies', async () => {
    const a = await startBackend('a', { hang: true });
    const lb = await setUp([a]);
    const pending = post(lb.url, envelope('k1'));
    for (let i = 0; i < 100 && lb.inFlight('a') === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lb.inFlight('a')).toBe(1);
    await a.close();
    await expect(pending).rejects.toThrow('fetch failed');
    expect(lb.inFlight()).toBe(0);
    expect(lb.dropped).toBe(1);
  });

  it('records deliveries by idempotency key and replays the last one through the balancer', async () => {
    const a = await startBackend('a');
    const lb = await setUp([a], true);
    await post(lb.url, envelope('k1'));
    expect(lb.deliveries()).toEqual([expect.objectContaining({ key: 'k1', backend: 'a', status: 200, replay: false })]);
    const recorded = lb.lastRequest('k1')!;
    expect(recorded.headers).toEqual(expect.objectContaining({ authorization: 'Bearer token' }));
    await expect(lb.replay(recorded, 10)).resolves.toBe(200);
    expect(a.bodies).toEqual([envelope('k1'), envelope('k1')]);
    expect(lb.deliveries().map((d) => d.replay)).toEqual([false, true]);
    expect(lb.idle).toBe(true);
  });
});
