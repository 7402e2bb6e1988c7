import { randomUUID } from 'node:crypto';
import { envelopeBody, type BenchContext, type ScenarioResult } from './lib/bench-context.js';
import { BENCH_AUDIENCE, BENCH_ISSUER, BENCH_JOB, BENCH_SERVICE_ACCOUNT, benchPayload, benchQueue } from './lib/fixtures.js';
import { runHttpLoad, type HttpLoadResult } from './lib/http-load.js';
import { BenchWorker } from './lib/ipc.js';
import { LocalOidcIssuer } from './lib/oidc-issuer.js';
import { infoRow, ratioRow, ratioText, type Figure, type FigureRow } from './lib/report.js';
import { fmt, round, summarize } from './lib/stats.js';

type Route = 'bare' | 'chain';

interface RouteRuns {
  rps: number[];
  saturated: number[];
  oneConnection: number[];
  cpuMsPerRequest: number[];
  /** GC pauses during the 1-connection runs, per request. */
  gcPerRequest: { requests: number; count: number; ms: number };
  statuses: Record<string, number>;
  errors: number;
}

export interface HandlerOverheadData {
  chainRps: number;
  bareRps: number;
  saturated: Record<Route, ReturnType<typeof summarize>>;
  oneConnection: Record<Route, ReturnType<typeof summarize>>;
  cpuMsPerRequest: Record<Route, number>;
  gc: Record<Route, { requestsPerGc: number; msPerGc: number }>;
  statuses: Record<Route, Record<string, number>>;
}

/**
 * Handler overhead (DESIGN §10): autocannon against the full job chain (OIDC RS256 verification against served certs,
 * request checks, envelope + class-validator payload, idempotency claim/complete on the memory store, a no-op
 * processor) and against a bare `@Post()` route of the same Nest process, with the same body (a unique idempotency
 * key per request) and headers. The app runs in a child process; autocannon runs here.
 *
 * - throughput: `connections` connections, closed loop, alternating bare/chain rounds after a warm-up of each;
 * - latency: one connection (no queueing), so the difference of the p99s is the latency the chain adds per request.
 */
export async function runHandlerOverhead(ctx: BenchContext): Promise<ScenarioResult<HandlerOverheadData>> {
  const { config } = ctx;
  const issuer = await LocalOidcIssuer.start();
  const app = await BenchWorker.start('app.worker', 'app (handler overhead)');
  try {
    const { url } = await app.call<{ url: string }>('boot', { certsUrl: issuer.certsUrl, concurrency: config.e2eConcurrency });
    const token = issuer.sign({ iss: BENCH_ISSUER, aud: BENCH_AUDIENCE, email: BENCH_SERVICE_ACCOUNT, email_verified: true });
    const runId = `handler-${randomUUID().slice(0, 8)}`;
    let seq = 0;
    const body = () => {
      const n = seq++;
      return envelopeBody(BENCH_JOB, benchPayload(runId, n), `${runId}-${n}`);
    };
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-cloudtasks-queuename': benchQueue(1).name,
      'x-cloudtasks-taskname': 'bench-task',
      'x-cloudtasks-taskretrycount': '0',
      'x-cloudtasks-taskexecutioncount': '0',
      'user-agent': 'Google-Cloud-Tasks',
    };
    const paths: Record<Route, string> = { bare: '/bench/bare', chain: `/api/jobs/${BENCH_JOB}` };
    await checkRoutes(url, paths, headers, body);

    const runs: Record<Route, RouteRuns> = { bare: emptyRuns(), chain: emptyRuns() };
    const load = async (route: Route, connections: number, seconds: number): Promise<HttpLoadResult> => {
      const cpu0 = await app.cpu();
      const result = await runHttpLoad({ url, path: paths[route], headers, body, connections, duration: seconds });
      const cpu1 = await app.cpu();
      const r = runs[route];
      for (const [status, count] of Object.entries(result.statuses)) r.statuses[status] = (r.statuses[status] ?? 0) + count;
      r.errors += result.errors;
      const responses = Object.values(result.statuses).reduce((n, c) => n + c, 0);
      r.cpuMsPerRequest.push((cpu1.totalMs - cpu0.totalMs) / Math.max(1, responses));
      if (connections === 1) {
        r.gcPerRequest.requests += responses;
        r.gcPerRequest.count += cpu1.gcCount - cpu0.gcCount;
        r.gcPerRequest.ms += cpu1.gcMs - cpu0.gcMs;
      }
      return result;
    };

    ctx.log(`handler: warm-up ${config.warmupSeconds}s per route`);
    for (const route of ['bare', 'chain'] as const) await runHttpLoad({ url, path: paths[route], headers, body, connections: config.connections, duration: config.warmupSeconds });

    for (let round = 0; round < config.httpRounds; round++) {
      const order: Route[] = round % 2 === 0 ? ['bare', 'chain'] : ['chain', 'bare'];
      for (const route of order) {
        ctx.log(`handler: ${route}, ${config.connections} connections, ${config.httpSeconds}s (round ${round + 1}/${config.httpRounds})`);
        const result = await load(route, config.connections, config.httpSeconds);
        runs[route].rps.push(result.rps);
        runs[route].saturated.push(...result.latencies);
      }
      for (const route of order) {
        ctx.log(`handler: ${route}, 1 connection, ${Math.ceil(config.httpSeconds / 2)}s (round ${round + 1}/${config.httpRounds})`);
        const result = await load(route, 1, Math.ceil(config.httpSeconds / 2));
        runs[route].oneConnection.push(...result.latencies);
      }
    }

    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
    const data: HandlerOverheadData = {
      chainRps: mean(runs.chain.rps),
      bareRps: mean(runs.bare.rps),
      saturated: { bare: summarize(runs.bare.saturated), chain: summarize(runs.chain.saturated) },
      oneConnection: { bare: summarize(runs.bare.oneConnection), chain: summarize(runs.chain.oneConnection) },
      cpuMsPerRequest: { bare: mean(runs.bare.cpuMsPerRequest), chain: mean(runs.chain.cpuMsPerRequest) },
      gc: { bare: gcOf(runs.bare), chain: gcOf(runs.chain) },
      statuses: { bare: runs.bare.statuses, chain: runs.chain.statuses },
    };
    return { figures: [figureOf(data, runs, config.connections)], data };
  } finally {
    await app.stop();
    await issuer.close();
  }
}

function emptyRuns(): RouteRuns {
  return { rps: [], saturated: [], oneConnection: [], cpuMsPerRequest: [], gcPerRequest: { requests: 0, count: 0, ms: 0 }, statuses: {}, errors: 0 };
}

function gcOf(runs: RouteRuns): { requestsPerGc: number; msPerGc: number } {
  const { requests, count, ms } = runs.gcPerRequest;
  return { requestsPerGc: requests / Math.max(1, count), msPerGc: ms / Math.max(1, count) };
}

/** One request per route before measuring: both must answer 200 with `success: true`, or the comparison is void. */
async function checkRoutes(url: string, paths: Record<Route, string>, headers: Record<string, string>, body: () => string): Promise<void> {
  for (const [route, path] of Object.entries(paths)) {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers, body: body() });
    const text = await response.text();
    if (response.status !== 200 || !text.includes('"success":true')) {
      throw new Error(`handler bench: ${route} route answered ${response.status} ${text.slice(0, 300)}; fix this before measuring.`);
    }
  }
}

function figureOf(data: HandlerOverheadData, runs: Record<Route, RouteRuns>, connections: number): Figure {
  const { saturated, oneConnection } = data;
  const addedP99 = oneConnection.chain.p99 - oneConnection.bare.p99;
  const addedRow: FigureRow = {
    metric: 'p99, 1 connection (added by the chain)',
    measured: round(oneConnection.chain.p99, 3),
    unit: 'ms',
    baseline: round(oneConnection.bare.p99, 3),
    ratio: `+${fmt(addedP99)} ms`,
    target: '≤ +2 ms',
    verdict: addedP99 <= 2 ? 'PASS' : 'MISS',
    shortfall: addedP99 <= 2 ? undefined : `the chain adds ${fmt(addedP99)} ms at p99, ${fmt(addedP99 - 2)} ms over the 2 ms budget`,
  };
  const non2xx = (route: Route) => Object.entries(runs[route].statuses).filter(([s]) => !s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  const notes = [
    `Throughput: ${connections} connections, closed loop, mean of ${runs.chain.rps.length} alternating round(s) of each route after a warm-up; latency targets from separate 1-connection runs (no queueing).`,
    'Chain = OidcAuthGuard (RS256 verify-signature against served certs) → JobRequestGuard (queue header, envelope, class-validator payload) → IdempotencyInterceptor (memory store claim + complete) → no-op processor. Bare = @Post() in the same app, same headers and body.',
  ];
  const share = (route: Route) => fmt(100 / data.gc[route].requestsPerGc);
  notes.push(
    `GC at 1 connection: a pause (mean ${fmt(data.gc.chain.msPerGc)} ms) every ${fmt(data.gc.chain.requestsPerGc)} chain requests (${share('chain')} % of them) vs every ${fmt(data.gc.bare.requestsPerGc)} bare ones (${share('bare')} %): when that share nears 1 %, the p99 is a GC pause.`,
  );
  for (const route of ['bare', 'chain'] as const) {
    if (non2xx(route) > 0 || runs[route].errors > 0) notes.push(`WARNING ${route}: ${non2xx(route)} non-2xx responses (${JSON.stringify(runs[route].statuses)}), ${runs[route].errors} errors; only 2xx are counted.`);
  }
  return {
    id: 'handler-overhead',
    title: 'Handler overhead: full chain vs bare Nest route (same process)',
    design: 'req/s through the full chain ≥ 0.7× a bare Nest POST route in the same process; added p99 ≤ 2 ms over the bare route.',
    rows: [
      ratioRow('req/s (2xx), 10 connections', round(data.chainRps, 0), round(data.bareRps, 0), { min: 0.7 }, { unit: 'req/s' }),
      addedRow,
      infoRow('p50, 1 connection', round(oneConnection.chain.p50, 3), { unit: 'ms', baseline: round(oneConnection.bare.p50, 3), ratio: `+${fmt(oneConnection.chain.p50 - oneConnection.bare.p50)} ms` }),
      infoRow(`p50, ${connections} connections (saturated)`, round(saturated.chain.p50, 3), { unit: 'ms', baseline: round(saturated.bare.p50, 3), ratio: ratioText(saturated.chain.p50, saturated.bare.p50) }),
      infoRow(`p99, ${connections} connections (saturated)`, round(saturated.chain.p99, 3), { unit: 'ms', baseline: round(saturated.bare.p99, 3), ratio: ratioText(saturated.chain.p99, saturated.bare.p99) }),
      infoRow('app CPU per request', round(data.cpuMsPerRequest.chain, 4), { unit: 'ms', baseline: round(data.cpuMsPerRequest.bare, 4), ratio: ratioText(data.cpuMsPerRequest.chain, data.cpuMsPerRequest.bare) }),
      infoRow('requests per GC pause, 1 connection', round(data.gc.chain.requestsPerGc, 0), { baseline: round(data.gc.bare.requestsPerGc, 0), ratio: ratioText(data.gc.chain.requestsPerGc, data.gc.bare.requestsPerGc) }),
      infoRow('mean GC pause, 1 connection', round(data.gc.chain.msPerGc, 2), { unit: 'ms', baseline: round(data.gc.bare.msPerGc, 2), ratio: ratioText(data.gc.chain.msPerGc, data.gc.bare.msPerGc) }),
    ].map((row) => (row.baseline === undefined ? row : { ...row, baselineLabel: '(bare)' })),
    notes,
    raw: { ...data, rounds: { bare: runs.bare.rps, chain: runs.chain.rps } },
  };
}
