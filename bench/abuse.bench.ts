import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { envelopeBody, type BenchContext, type ScenarioResult } from './lib/bench-context.js';
import type { BenchAdapter } from './lib/config.js';
import { BENCH_AUDIENCE, BENCH_ISSUER, BENCH_JOB, BENCH_SERVICE_ACCOUNT, benchHeaders, benchQueue } from './lib/fixtures.js';
import { BenchWorker, type CpuSample } from './lib/ipc.js';
import { LocalOidcIssuer } from './lib/oidc-issuer.js';
import { infoRow, limitRow, type Figure, type FigureRow } from './lib/report.js';
import type { RssReport } from './lib/rss-watch.js';
import { fmt, median, round, sleep } from './lib/stats.js';

export const ABUSE_TARGETS = {
  /** RSS growth under the stalled connections, MiB. */
  stalledRssMiB: 50,
  /** CPU of the worst-shaped 1 MiB body, ms. */
  worstBodyCpuMs: 50,
} as const;

const MIB = 1024 * 1024;
/**
 * The module's default `payloadLimits` (not exported by the package): the nested body is built to sit exactly at them.
 * NOTE: if the defaults change, change these too; a body past the new limits is refused and shows as such in the notes.
 */
const DEFAULT_PAYLOAD_LIMITS = { maxDepth: 64, maxKeysPerObject: 1000, maxNodes: 100_000 } as const;
/** The module's default maxTaskBytes: the largest body a job request may have. */
const MAX_BODY = MIB;
const TICK_MS = 100;

/** What the stalled connections saw. */
export interface StalledRun {
  connections: number;
  /** Body bytes each connection tried to send (its Content-Length). */
  declaredBytes: number;
  /** Body bytes the server accepted before answering or closing, all connections together. */
  sentBytes: number;
  rss: RssReport;
  growthMiB: number;
  /** Answers by status; `none` = the server had not answered when the connection was closed. */
  statuses: Record<string, number>;
}

export interface BodyCost {
  label: string;
  bytes: number;
  keys: number;
  cpuMs: number[];
  medianCpuMs: number;
  statuses: Record<string, number>;
}

export interface AbuseData {
  adapters: Partial<Record<BenchAdapter, { badToken: StalledRun; validToken: StalledRun; flat: BodyCost; nested: BodyCost; plain: BodyCost }>>;
}

/** The hostile shapes: one object with as many keys as fit; objects of the most keys the shape limits allow; a plain body. */
type BodyShape = 'flat' | 'nested' | 'plain';

/**
 * Memory and CPU under abuse, per adapter, each app in its own process:
 * - `stalledConnections` raw TCP connections that send a job request's headers with `Authorization: Bearer x` and
 *   `Content-Length: 1 MiB`, then trickle the body for `stallSeconds`: the app's peak RSS over its RSS before they
 *   connected (sampled every 20 ms in the app). The same with a valid token is printed beside it (the per-process cap
 *   on job bytes being read bounds what it can hold).
 * - the worst-shaped body under the 1 MiB limit (one object with as many keys as fit) sent with a valid token: the
 *   app CPU it costs (median of `hostileBodyRequests`), beside a plain 1 MiB body (one long string) of the same size.
 */
export async function runAbuse(ctx: BenchContext): Promise<ScenarioResult<AbuseData>> {
  const { config } = ctx;
  const issuer = await LocalOidcIssuer.start();
  const token = issuer.sign({ iss: BENCH_ISSUER, aud: BENCH_AUDIENCE, email: BENCH_SERVICE_ACCOUNT, email_verified: true });
  const data: AbuseData = { adapters: {} };
  try {
    for (const adapter of config.adapters) {
      const app = await BenchWorker.start('app.worker', `app on ${adapter} (abuse)`);
      try {
        const { url } = await app.call<{ url: string }>('boot', { adapter, certsUrl: issuer.certsUrl, concurrency: config.e2eConcurrency });
        const port = Number(new URL(url).port);
        await warmUp(url, token);
        ctx.log(`abuse: ${adapter}, ${config.stalledConnections} stalled connections with "Bearer x", ${config.stallSeconds}s`);
        const badToken = await stalled(app, port, 'x', config.stalledConnections, config.stallSeconds);
        await sleep(500);
        ctx.log(`abuse: ${adapter}, ${config.stalledConnections} stalled connections with a valid token, ${config.stallSeconds}s`);
        const validToken = await stalled(app, port, token, config.stalledConnections, config.stallSeconds);
        ctx.log(`abuse: ${adapter}, worst-shaped and plain 1 MiB bodies, ${config.hostileBodyRequests} each`);
        const flat = await bodyCost(app, url, token, 'flat', config.hostileBodyRequests);
        const nested = await bodyCost(app, url, token, 'nested', config.hostileBodyRequests);
        const plain = await bodyCost(app, url, token, 'plain', config.hostileBodyRequests);
        data.adapters[adapter] = { badToken, validToken, flat, nested, plain };
      } finally {
        await app.stop();
      }
    }
    return { figures: [figureOf(data, config.adapters, config)], data };
  } finally {
    await issuer.close();
  }
}

async function warmUp(url: string, token: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const response = await fetch(`${url}/api/jobs/${BENCH_JOB}`, { method: 'POST', headers: benchHeaders(token), body: envelopeBody(BENCH_JOB, { runId: 'abuse-warm', seq: i, userId: 'u' }, randomUUID()) });
    await response.arrayBuffer();
  }
}

/** Opens `count` connections that send headers then trickle a 1 MiB body; measures the app's peak RSS meanwhile. */
async function stalled(app: BenchWorker, port: number, token: string, count: number, seconds: number): Promise<StalledRun> {
  const statuses: Record<string, number> = {};
  const head = [
    `POST /api/jobs/${BENCH_JOB} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    `Authorization: Bearer ${token}`,
    'Content-Type: application/json',
    `Content-Length: ${MAX_BODY}`,
    `X-CloudTasks-QueueName: ${benchQueue(1).name}`,
    'X-CloudTasks-TaskName: abuse',
    'User-Agent: Google-Cloud-Tasks',
    '',
    '',
  ].join('\r\n');
  const ticks = Math.max(1, Math.round((seconds * 1000) / TICK_MS));
  const chunk = Buffer.alloc(Math.ceil(MAX_BODY / ticks), 0x20);
  await app.call('rssWatch', { intervalMs: 20 });
  const sockets: { socket: Socket; status?: string; open: boolean; sent: number }[] = [];
  for (let i = 0; i < count; i++) {
    const entry = { socket: connect(port, '127.0.0.1'), status: undefined as string | undefined, open: true, sent: 0 };
    entry.socket.setNoDelay(true);
    entry.socket.on('data', (bytes: Buffer) => {
      entry.status ??= /^HTTP\/1\.1 (\d{3})/.exec(bytes.toString('latin1'))?.[1] ?? 'other';
    });
    entry.socket.on('error', () => undefined);
    entry.socket.on('close', () => void (entry.open = false));
    entry.socket.write(head);
    sockets.push(entry);
  }
  for (let tick = 0; tick < ticks; tick++) {
    await sleep(TICK_MS);
    for (const entry of sockets) {
      if (!entry.open || entry.sent >= MAX_BODY) continue;
      const part = chunk.subarray(0, Math.min(chunk.length, MAX_BODY - entry.sent));
      // NOTE: stop at the last byte: a complete body would be parsed and answered, the connection would not stall.
      const bytes = entry.sent + part.length >= MAX_BODY ? part.subarray(0, part.length - 1) : part;
      entry.socket.write(bytes);
      entry.sent += bytes.length;
    }
  }
  await sleep(300);
  const rss = await app.call<RssReport>('rssPeak');
  for (const entry of sockets) {
    const status = entry.status ?? 'none';
    statuses[status] = (statuses[status] ?? 0) + 1;
    entry.socket.destroy();
  }
  return {
    connections: count,
    declaredBytes: MAX_BODY,
    sentBytes: sockets.reduce((n, e) => n + e.sent, 0),
    rss,
    growthMiB: (rss.peakBytes - rss.baselineBytes) / MIB,
    statuses,
  };
}

/**
 * A body just under 1 MiB: `flat` = data is one object with as many 3-character keys as fit; `nested` = data holds
 * objects of exactly the most keys the module's shape limits allow per object, as many as fit under its limit on
 * values and in 1 MiB (the worst shape the limits let through to payload validation); `plain` = a valid payload of one
 * long string.
 */
function hostileBody(shape: BodyShape): { text: () => string; keys: number } {
  const frame = (data: string, key: string) => `{"jobName":"${BENCH_JOB}","data":${data},"idempotencyKey":"${key}","enqueuedAt":"${new Date().toISOString()}"}`;
  const room = MAX_BODY - Buffer.byteLength(frame('', randomUUID())) - 16;
  if (shape === 'plain') {
    const filler = 'x'.repeat(room - 40);
    return { text: () => frame(`{"runId":"abuse","seq":1,"userId":"${filler}"}`, randomUUID()), keys: 3 };
  }
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const key = (i: number) => alphabet[i % 62] + alphabet[Math.floor(i / 62) % 62] + alphabet[Math.floor(i / 3844) % 62];
  const object = (count: number) => `{${Array.from({ length: count }, (_, i) => `"${key(i)}":0`).join(',')}}`;
  if (shape === 'nested') {
    const { maxKeysPerObject, maxNodes } = DEFAULT_PAYLOAD_LIMITS;
    const inner = object(maxKeysPerObject);
    // NOTE: every object and every entry is a value: stay a few short of the limit (the envelope's own values count too).
    const objects = Math.min(Math.floor((maxNodes - 16) / (maxKeysPerObject + 1)), Math.floor(room / (inner.length + 8)));
    const data = `{${Array.from({ length: objects }, (_, i) => `"o${i}":${inner}`).join(',')}}`;
    return { text: () => frame(data, randomUUID()), keys: objects * maxKeysPerObject };
  }
  const parts: string[] = [];
  let size = 2;
  for (let i = 0; i < 62 ** 3; i++) {
    const part = `"${key(i)}":0`;
    if (size + part.length + 1 > room) break;
    parts.push(part);
    size += part.length + 1;
  }
  return { text: () => frame(`{${parts.join(',')}}`, randomUUID()), keys: parts.length };
}

/** App CPU of one request with a hostile body, `count` times one after the other. */
async function bodyCost(app: BenchWorker, url: string, token: string, shape: BodyShape, count: number): Promise<BodyCost> {
  const body = hostileBody(shape);
  const cpuMs: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const text = body.text();
    bytes = Buffer.byteLength(text);
    const cpu0: CpuSample = await app.cpu();
    const response = await fetch(`${url}/api/jobs/${BENCH_JOB}`, { method: 'POST', headers: benchHeaders(token), body: text });
    await response.arrayBuffer();
    const cpu1: CpuSample = await app.cpu();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    cpuMs.push(cpu1.totalMs - cpu0.totalMs);
    // NOTE: a body that already cost 20× the budget is measured once: more would only lengthen the run.
    if (cpu1.totalMs - cpu0.totalMs > 20 * ABUSE_TARGETS.worstBodyCpuMs) break;
  }
  return { label: shape, bytes, keys: body.keys, cpuMs, medianCpuMs: median(cpuMs), statuses };
}

function figureOf(data: AbuseData, adapters: BenchAdapter[], config: { stalledConnections: number; stallSeconds: number; hostileBodyRequests: number }): Figure {
  const t = ABUSE_TARGETS;
  const rows: FigureRow[] = adapters.flatMap((adapter) => {
    const { badToken, validToken, flat, nested, plain } = data.adapters[adapter]!;
    const mib = (bytes: number) => round(bytes / MIB, 1);
    const { maxKeysPerObject } = DEFAULT_PAYLOAD_LIMITS;
    return [
      limitRow(`${adapter}: RSS growth, ${badToken.connections} stalled connections, "Bearer x"`, badToken.growthMiB, t.stalledRssMiB, 'MiB', { signed: true, measured: mib(badToken.rss.peakBytes), baseline: mib(badToken.rss.baselineBytes), baselineLabel: '(before)' }),
      infoRow(`${adapter}: the same with a valid token`, round(validToken.growthMiB, 1), { unit: 'MiB', ratio: `+${fmt(validToken.growthMiB)} MiB`, baseline: mib(validToken.rss.baselineBytes), baselineLabel: '(before)' }),
      limitRow(`${adapter}: CPU of a 1 MiB body, one object of ${flat.keys.toLocaleString('en-US')} keys`, flat.medianCpuMs, t.worstBodyCpuMs, 'ms', { baseline: round(plain.medianCpuMs, 2), baselineLabel: '(plain 1 MiB body)' }),
      limitRow(`${adapter}: CPU of a ${fmt(nested.bytes / MIB)} MiB body, ${fmt(nested.keys / maxKeysPerObject)} objects of ${maxKeysPerObject} keys (within the shape limits)`, nested.medianCpuMs, t.worstBodyCpuMs, 'ms', { baseline: round(plain.medianCpuMs, 2), baselineLabel: '(plain 1 MiB body)' }),
    ];
  });
  const notes = [
    `Stalled connections: ${config.stalledConnections} raw TCP connections send a job request's headers (Content-Length 1 MiB) and then the body in pieces every ${TICK_MS} ms for ${config.stallSeconds} s, never its last byte; RSS of the app sampled every 20 ms, growth = peak − RSS before they connected.`,
    `Worst-shaped bodies: up to ${config.hostileBodyRequests} requests each with a valid token (one only when the first costs over 20× the budget): data = one object of as many 3-character keys as fit in 1 MiB; and data = objects of exactly the module's maxKeysPerObject (${DEFAULT_PAYLOAD_LIMITS.maxKeysPerObject}) keys, as many as its maxNodes (${DEFAULT_PAYLOAD_LIMITS.maxNodes.toLocaleString('en-US')}) and 1 MiB allow: the worst shape its shape limits let through to class-transformer and class-validator. CPU = the app's process.cpuUsage() around each request, median. Plain: a valid payload of the same size (one long string).`,
  ];
  for (const adapter of adapters) {
    const { badToken, validToken, flat, nested, plain } = data.adapters[adapter]!;
    const costs = (body: BodyCost) => `${JSON.stringify(body.statuses)} (CPU ${body.cpuMs.map((v) => fmt(v)).join(', ')} ms)`;
    notes.push(
      `${adapter}: answers to "Bearer x" ${JSON.stringify(badToken.statuses)}, ${fmt(badToken.sentBytes / MIB)} MiB of body sent; with a valid token ${JSON.stringify(validToken.statuses)}, ${fmt(validToken.sentBytes / MIB)} MiB sent; flat body ${costs(flat)}, nested ${costs(nested)}, plain ${costs(plain)}.`,
    );
  }
  return {
    id: 'abuse',
    short: 'abuse',
    title: 'Memory and CPU under abuse: stalled connections and the worst-shaped 1 MiB bodies',
    design: `≤ ${t.stalledRssMiB} MiB RSS growth under ${config.stalledConnections} stalled connections that send "Authorization: Bearer x" and a slow body; the worst-shaped 1 MiB body costs ≤ ${t.worstBodyCpuMs} ms of CPU.`,
    rows,
    notes,
    raw: { ...data },
  };
}
