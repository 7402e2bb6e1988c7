import { randomUUID } from 'node:crypto';
import { envelopeBody, type BenchContext, type ScenarioResult } from './lib/bench-context.js';
import type { BenchAdapter } from './lib/config.js';
import { BENCH_AUDIENCE, BENCH_ISSUER, BENCH_JOB, BENCH_SERVICE_ACCOUNT, benchHeaders, benchPayload, benchQueue } from './lib/fixtures.js';
import { runHttpLoad, type HttpLoadResult } from './lib/http-load.js';
import { BenchWorker } from './lib/ipc.js';
import { LocalOidcIssuer } from './lib/oidc-issuer.js';
import { infoRow, limitRow, ratioRow, ratioText, type Figure, type FigureRow } from './lib/report.js';
import { fmt, round, summarize, type LatencySummary } from './lib/stats.js';

/** Targets of the handler figures (ratios and differences within one run). */
export const HANDLER_TARGETS = {
  /** What the module adds per job (chain CPU − bare route CPU, same adapter), ms. */
  addedCpuMs: 0.05,
  addedCpuMsMoonshot: 0.03,
  /** Express chain req/s over the bare Express route's. */
  expressRpsRatio: 0.75,
  /** p99 added at one connection, ms. */
  addedP99Ms: 1,
} as const;

type Kind = 'bare' | 'shape' | 'chain' | 'quiet' | 'floor';

/** Sides whose latency at one connection is measured too (the others only give CPU per job). */
const LATENCY_SIDES: ReadonlySet<Kind> = new Set(['bare', 'chain', 'floor']);

interface SideRuns {
  rps: number[];
  saturated: number[];
  oneConnection: number[];
  /** App CPU per response of each saturated run. */
  cpuMsPerRequest: number[];
  /** App CPU per response of each 1-connection run. */
  cpuMsPerRequestOne: number[];
  /** GC pauses during the 1-connection runs, per request. */
  gcPerRequest: { requests: number; count: number; ms: number };
  statuses: Record<string, number>;
  errors: number;
}

interface Side {
  id: string;
  kind: Kind;
  adapter?: BenchAdapter;
  worker: BenchWorker;
  url: string;
  path: string;
  runs: SideRuns;
}

/** One route's measurements. */
export interface RouteFigures {
  rps: number;
  /** App CPU ms per request, saturated runs (the CPU-per-job figure). */
  cpuMsPerJob: number;
  /** App CPU ms per request at one connection. */
  cpuMsPerJobOneConnection: number;
  saturated: LatencySummary;
  oneConnection: LatencySummary;
  gc: { requestsPerGc: number; msPerGc: number };
  statuses: Record<string, number>;
  rounds: number[];
}

export interface AdapterOverhead {
  adapter: BenchAdapter;
  bare: RouteFigures;
  /** The bare route behind two pass-through guards and a pass-through interceptor. */
  shape: RouteFigures;
  chain: RouteFigures;
  /** chain − bare CPU per job: what the module adds. */
  addedCpuMs: number;
  /** shape − bare: Nest's cost of the guard + interceptor shape. */
  shapeCpuMs: number;
  /** The chain in an app whose logger is at `warn`: no lifecycle lines written. */
  quiet: RouteFigures;
  /** chain − quiet: what the two lifecycle lines per job cost where they run. */
  lifecycleLinesCpuMs: number;
  addedP99Ms: number;
}

/** What a memory idempotency store held at the end of the rounds. */
export interface StoreSize {
  entries: number;
  bytes: number;
  evicted: number;
}

export interface HandlerOverheadData {
  adapters: Partial<Record<BenchAdapter, AdapterOverhead>>;
  floor: RouteFigures;
  connections: number;
  /** The memory store of each chain app process at the end (side id → size). */
  stores: Record<string, StoreSize>;
}

/**
 * Handler overhead: autocannon against, for each adapter, the full job chain (OIDC RS256 verification against served
 * certs, request checks, envelope + class-validator payload, idempotency claim/complete on the memory store, a no-op
 * processor) and a bare `@Post()` route of the same Nest process; and against the floor, a bare `node:http` server
 * doing the minimum correct work. Same headers and body everywhere (a unique idempotency key per request). Each app
 * runs in its own child process; autocannon runs here.
 *
 * - throughput and CPU per job: `connections` connections, closed loop, every side once per round, the order
 *   reversed every other round, after a warm-up of each;
 * - latency: one connection (no queueing), so the difference of the p99s is the latency the chain adds per request.
 */
export async function runHandlerOverhead(ctx: BenchContext): Promise<ScenarioResult<HandlerOverheadData>> {
  const { config } = ctx;
  const issuer = await LocalOidcIssuer.start();
  const workers: BenchWorker[] = [];
  try {
    const sides: Side[] = [];
    const chainPath = `/api/jobs/${BENCH_JOB}`;
    for (const adapter of config.adapters) {
      const worker = await BenchWorker.start('app.worker', `app on ${adapter} (handler overhead)`);
      workers.push(worker);
      const { url } = await worker.call<{ url: string }>('boot', { adapter, certsUrl: issuer.certsUrl, concurrency: config.e2eConcurrency });
      sides.push({ id: `${adapter} bare`, kind: 'bare', adapter, worker, url, path: '/bench/bare', runs: emptyRuns() });
      sides.push({ id: `${adapter} shape`, kind: 'shape', adapter, worker, url, path: '/bench/shape', runs: emptyRuns() });
      sides.push({ id: `${adapter} chain`, kind: 'chain', adapter, worker, url, path: chainPath, runs: emptyRuns() });
      const quiet = await BenchWorker.start('app.worker', `app on ${adapter}, logger at warn (handler overhead)`);
      workers.push(quiet);
      const { url: quietUrl } = await quiet.call<{ url: string }>('boot', { adapter, certsUrl: issuer.certsUrl, concurrency: config.e2eConcurrency, log: 'quiet' });
      sides.push({ id: `${adapter} chain (logger at warn)`, kind: 'quiet', adapter, worker: quiet, url: quietUrl, path: chainPath, runs: emptyRuns() });
    }
    const floorWorker = await BenchWorker.start('floor.worker', 'floor (bare node:http)');
    workers.push(floorWorker);
    const floorBoot = { certsUrl: issuer.certsUrl, audience: BENCH_AUDIENCE, issuer: BENCH_ISSUER, serviceAccount: BENCH_SERVICE_ACCOUNT, queueName: benchQueue(1).name, jobName: BENCH_JOB, basePath: '/api/jobs', maxBodyBytes: 1024 * 1024 };
    const { url: floorUrl } = await floorWorker.call<{ url: string }>('boot', floorBoot);
    sides.push({ id: 'floor', kind: 'floor', worker: floorWorker, url: floorUrl, path: chainPath, runs: emptyRuns() });

    const token = issuer.sign({ iss: BENCH_ISSUER, aud: BENCH_AUDIENCE, email: BENCH_SERVICE_ACCOUNT, email_verified: true });
    const runId = `handler-${randomUUID().slice(0, 8)}`;
    let seq = 0;
    const body = () => {
      const n = seq++;
      return envelopeBody(BENCH_JOB, benchPayload(runId, n), `${runId}-${n}`);
    };
    const headers = benchHeaders(token);
    for (const side of sides) await checkSide(side, headers, body);

    const load = async (side: Side, connections: number, seconds: number): Promise<HttpLoadResult> => {
      const cpu0 = await side.worker.cpu();
      const result = await runHttpLoad({ url: side.url, path: side.path, headers, body, connections, duration: seconds });
      const cpu1 = await side.worker.cpu();
      const r = side.runs;
      for (const [status, count] of Object.entries(result.statuses)) r.statuses[status] = (r.statuses[status] ?? 0) + count;
      r.errors += result.errors;
      const responses = Object.values(result.statuses).reduce((n, c) => n + c, 0);
      const cpuPerRequest = (cpu1.totalMs - cpu0.totalMs) / Math.max(1, responses);
      if (connections === 1) {
        r.cpuMsPerRequestOne.push(cpuPerRequest);
        r.gcPerRequest.requests += responses;
        r.gcPerRequest.count += cpu1.gcCount - cpu0.gcCount;
        r.gcPerRequest.ms += cpu1.gcMs - cpu0.gcMs;
      } else r.cpuMsPerRequest.push(cpuPerRequest);
      return result;
    };

    ctx.log(`handler: warm-up ${config.warmupSeconds}s per side (${sides.map((s) => s.id).join(', ')})`);
    for (const side of sides) await runHttpLoad({ url: side.url, path: side.path, headers, body, connections: config.connections, duration: config.warmupSeconds });

    const oneSeconds = Math.ceil(config.httpSeconds / 2);
    for (let round = 0; round < config.httpRounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        ctx.log(`handler: ${side.id}, ${config.connections} connections, ${config.httpSeconds}s (round ${round + 1}/${config.httpRounds})`);
        const result = await load(side, config.connections, config.httpSeconds);
        side.runs.rps.push(result.rps);
        // NOTE: not push(...latencies): a fast side answers more requests per run than a call can take arguments.
        for (const ms of result.latencies) side.runs.saturated.push(ms);
      }
      for (const side of order.filter((s) => LATENCY_SIDES.has(s.kind))) {
        ctx.log(`handler: ${side.id}, 1 connection, ${oneSeconds}s (round ${round + 1}/${config.httpRounds})`);
        const result = await load(side, 1, oneSeconds);
        for (const ms of result.latencies) side.runs.oneConnection.push(ms);
      }
    }

    const data: HandlerOverheadData = { adapters: {}, floor: figuresOf(sides.find((s) => s.kind === 'floor')!.runs), connections: config.connections, stores: {} };
    for (const side of sides.filter((s) => s.kind === 'chain' || s.kind === 'quiet')) data.stores[side.id] = await side.worker.call<StoreSize>('storeSize');
    for (const adapter of config.adapters) {
      const of = (kind: Kind) => figuresOf(sides.find((s) => s.adapter === adapter && s.kind === kind)!.runs);
      const [bare, shape, chain, quiet] = [of('bare'), of('shape'), of('chain'), of('quiet')];
      data.adapters[adapter] = {
        adapter,
        bare,
        shape,
        chain,
        quiet,
        addedCpuMs: chain.cpuMsPerJob - bare.cpuMsPerJob,
        shapeCpuMs: shape.cpuMsPerJob - bare.cpuMsPerJob,
        lifecycleLinesCpuMs: chain.cpuMsPerJob - quiet.cpuMsPerJob,
        addedP99Ms: chain.oneConnection.p99 - bare.oneConnection.p99,
      };
    }
    const figures = config.adapters.map((adapter) => figureOf(data.adapters[adapter]!, data.floor, sides, config.connections, config.httpRounds, data.stores));
    return { figures, data };
  } finally {
    for (const worker of workers) await worker.stop();
    await issuer.close();
  }
}

function emptyRuns(): SideRuns {
  return { rps: [], saturated: [], oneConnection: [], cpuMsPerRequest: [], cpuMsPerRequestOne: [], gcPerRequest: { requests: 0, count: 0, ms: 0 }, statuses: {}, errors: 0 };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

function figuresOf(runs: SideRuns): RouteFigures {
  const { requests, count, ms } = runs.gcPerRequest;
  return {
    rps: mean(runs.rps),
    cpuMsPerJob: mean(runs.cpuMsPerRequest),
    cpuMsPerJobOneConnection: mean(runs.cpuMsPerRequestOne),
    saturated: summarize(runs.saturated),
    oneConnection: summarize(runs.oneConnection),
    gc: { requestsPerGc: requests / Math.max(1, count), msPerGc: ms / Math.max(1, count) },
    statuses: runs.statuses,
    rounds: runs.rps,
  };
}

/** One request per side before measuring: each must answer 200 with `success: true`, or the comparison is void. */
async function checkSide(side: Side, headers: Record<string, string>, body: () => string): Promise<void> {
  const response = await fetch(`${side.url}${side.path}`, { method: 'POST', headers, body: body() });
  const text = await response.text();
  if (response.status !== 200 || !text.includes('"success":true')) {
    throw new Error(`handler bench: ${side.id} answered ${response.status} ${text.slice(0, 300)}; fix this before measuring.`);
  }
}

const ADAPTER_TITLE: Record<BenchAdapter, string> = { express: 'Express (@nestjs/platform-express)', fastify: 'Fastify (@nestjs/platform-fastify)' };

function figureOf(data: AdapterOverhead, floor: RouteFigures, sides: Side[], connections: number, rounds: number, stores: Record<string, StoreSize>): Figure {
  const { adapter, bare, chain } = data;
  const t = HANDLER_TARGETS;
  const cpu = (v: number) => round(v, 4);
  const rpsRow =
    adapter === 'express'
      ? ratioRow(`req/s (2xx), ${connections} connections`, round(chain.rps, 0), round(bare.rps, 0), { min: t.expressRpsRatio }, { unit: 'req/s' })
      : infoRow(`req/s (2xx), ${connections} connections`, round(chain.rps, 0), { unit: 'req/s', baseline: round(bare.rps, 0), ratio: ratioText(chain.rps, bare.rps) });
  const rows: FigureRow[] = [
    rpsRow,
    infoRow('app CPU per job (saturated)', cpu(chain.cpuMsPerJob), { unit: 'ms', baseline: cpu(bare.cpuMsPerJob), ratio: ratioText(chain.cpuMsPerJob, bare.cpuMsPerJob) }),
    limitRow('added by the module per job (chain − bare CPU)', data.addedCpuMs, t.addedCpuMs, 'ms', { signed: true }),
    limitRow('added by the module per job (chain − bare CPU)', data.addedCpuMs, t.addedCpuMsMoonshot, 'ms', { signed: true, label: 'moonshot' }),
    limitRow('p99 added, 1 connection', data.addedP99Ms, t.addedP99Ms, 'ms', { signed: true, baseline: round(bare.oneConnection.p99, 3), measured: round(chain.oneConnection.p99, 3) }),
    infoRow('p50, 1 connection', round(chain.oneConnection.p50, 3), { unit: 'ms', baseline: round(bare.oneConnection.p50, 3), ratio: `+${fmt(chain.oneConnection.p50 - bare.oneConnection.p50)} ms` }),
    infoRow(`p50, ${connections} connections (saturated)`, round(chain.saturated.p50, 3), { unit: 'ms', baseline: round(bare.saturated.p50, 3), ratio: ratioText(chain.saturated.p50, bare.saturated.p50) }),
    infoRow(`p99, ${connections} connections (saturated)`, round(chain.saturated.p99, 3), { unit: 'ms', baseline: round(bare.saturated.p99, 3), ratio: ratioText(chain.saturated.p99, bare.saturated.p99) }),
    infoRow("of it: Nest's guard + interceptor shape (pass-through guards and interceptor − bare)", cpu(data.shapeCpuMs), { unit: 'ms', ratio: `+${fmt(data.shapeCpuMs)} ms` }),
    infoRow("of it: the module's own work (chain − pass-through shape)", cpu(data.addedCpuMs - data.shapeCpuMs), { unit: 'ms', ratio: `+${fmt(data.addedCpuMs - data.shapeCpuMs)} ms` }),
    infoRow('of it: the 2 lifecycle log lines per job (chain − chain with the logger at warn)', cpu(data.lifecycleLinesCpuMs), { unit: 'ms', baseline: cpu(data.quiet.cpuMsPerJob), baselineLabel: '(logger at warn)', ratio: `+${fmt(data.lifecycleLinesCpuMs)} ms` }),
    infoRow('app CPU per job, 1 connection', cpu(chain.cpuMsPerJobOneConnection), { unit: 'ms', baseline: cpu(bare.cpuMsPerJobOneConnection), ratio: `+${fmt(chain.cpuMsPerJobOneConnection - bare.cpuMsPerJobOneConnection)} ms` }),
    infoRow('requests per GC pause, 1 connection', round(chain.gc.requestsPerGc, 0), { baseline: round(bare.gc.requestsPerGc, 0), ratio: ratioText(chain.gc.requestsPerGc, bare.gc.requestsPerGc) }),
    infoRow('mean GC pause, 1 connection', round(chain.gc.msPerGc, 2), { unit: 'ms', baseline: round(bare.gc.msPerGc, 2), ratio: ratioText(chain.gc.msPerGc, bare.gc.msPerGc) }),
  ].map((row) => (row.baseline === undefined || row.baselineLabel ? row : { ...row, baselineLabel: '(bare)' }));
  rows.push(
    infoRow('floor: req/s, same load', round(floor.rps, 0), { unit: 'req/s', baseline: round(chain.rps, 0), baselineLabel: '(chain)', ratio: `chain ${ratioText(chain.rps, floor.rps)}` }),
    infoRow('floor: app CPU per job', cpu(floor.cpuMsPerJob), { unit: 'ms', baseline: cpu(chain.cpuMsPerJob), baselineLabel: '(chain)', ratio: `chain ${ratioText(chain.cpuMsPerJob, floor.cpuMsPerJob)}` }),
    infoRow('floor: p99, 1 connection', round(floor.oneConnection.p99, 3), { unit: 'ms', baseline: round(chain.oneConnection.p99, 3), baselineLabel: '(chain)' }),
  );
  const notes = [
    `Throughput and CPU per job: ${connections} connections, closed loop, mean of ${rounds} round(s) in which every side (${sides.map((s) => s.id).join(', ')}) runs once, the order reversed every other round, after a warm-up of each; latency targets from separate 1-connection runs (no queueing).`,
    'Chain = OidcAuthGuard (RS256 verify-signature against served certs) → JobRequestGuard (queue header, body, envelope, class-validator payload) → IdempotencyInterceptor (memory store claim + complete) → no-op processor. Bare = @Post() with @Body() in the same app, same headers and body. Shape = the bare route behind two async pass-through guards and an interceptor with the same RxJS glue (from(lastValueFrom(next.handle()))): what Nest itself charges for the guard + interceptor shape. The app logs as the example app does in production (ConsoleLogger, JSON, default levels, to /dev/null); "logger at warn" is the same chain in a second app process whose logger writes warnings and errors only, so the module skips its two lifecycle lines per job.',
    'Floor = a bare node:http server in its own process: token-cache lookup and claim checks, queue header, body read, JSON.parse, envelope job name and key, Map claim + complete, JSON answer. The physical limit, not a target.',
    `GC at 1 connection: a pause (mean ${fmt(chain.gc.msPerGc)} ms) every ${fmt(chain.gc.requestsPerGc)} chain requests vs every ${fmt(bare.gc.requestsPerGc)} bare ones: when that share nears 1 %, the p99 is a GC pause.`,
  ];
  const held = Object.entries(stores).filter(([id]) => id.startsWith(`${adapter} `));
  notes.push(
    `Memory idempotency store (default bounds) at the end: ${held.map(([id, size]) => `${id}: ${size.entries.toLocaleString('en-US')} records, ${fmt(size.bytes / 1024 / 1024)} MiB, ${size.evicted.toLocaleString('en-US')} dropped to stay within its bounds`).join('; ')}. Every job leaves a record, so a long run fills the store and every later write also evicts.`,
  );
  for (const side of sides.filter((s) => s.adapter === adapter || s.kind === 'floor')) {
    const non2xx = Object.entries(side.runs.statuses).filter(([s]) => !s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
    if (non2xx > 0 || side.runs.errors > 0) notes.push(`WARNING ${side.id}: ${non2xx} non-2xx responses (${JSON.stringify(side.runs.statuses)}), ${side.runs.errors} errors; only 2xx are counted.`);
  }
  return {
    id: `handler-overhead-${adapter}`,
    short: `handler, ${adapter}`,
    title: `Handler overhead on ${ADAPTER_TITLE[adapter]}: full chain vs a bare Nest route of the same adapter, floor beside`,
    design: `what the module adds per job (chain CPU − bare route CPU) ≤ ${t.addedCpuMs} ms (moonshot ≤ ${t.addedCpuMsMoonshot} ms);${adapter === 'express' ? ` chain ≥ ${t.expressRpsRatio}× the bare route's req/s;` : ''} ≤ +${t.addedP99Ms} ms p99 at 1 connection.`,
    rows,
    notes,
    raw: { ...data, floor },
  };
}
