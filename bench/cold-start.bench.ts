import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startEmulator, type CloudTasksEmulator } from '@nest-cloud-tasks/emulator';
import { QUEUE_CONFIGS } from '../src/config/queue.config.js';
import { LOCAL_PROJECT_ID, LOCAL_REGION, LOCAL_SERVICE_ACCOUNT } from '../src/local-infrastructure.js';
import { SAMPLE_JOBS } from '../src/jobs/sample-jobs.js';
import type { BenchContext, ScenarioResult } from './lib/bench-context.js';
import type { BenchAdapter } from './lib/config.js';
import { infoRow, limitRow, ratioText, type Figure } from './lib/report.js';
import { fmt, median, round } from './lib/stats.js';

/** Cold start: the example app may take at most this much longer than a bare Nest app of its adapter, ms. */
export const COLD_START_TARGET_MS = 150;

/** `app` = the example service (`dist/src/main.js`); `bare` = a Nest app with one route (`cold-start-bare.entry.js`). */
export type ColdStartKind = 'app' | 'bare';

/** The job the cold start ends on: no follow-up enqueue, so it measures the delivery path only. */
const FIRST_JOB = 'token-refresh';
const AUDIENCE = 'https://catchup-bench.example.run.app';
const MIB = 1024 * 1024;
const ENTRIES: Record<ColdStartKind, string> = { app: '../src/main.js', bare: './workers/cold-start-bare.entry.js' };
/** Lines of the Nest JSON log that mark the steps of a start. */
const NEST_STARTING = 'Starting Nest application...';
const NEST_READY = 'Nest application successfully started';
const LISTENING = /listening on :\d+/;

/** Steps of one start, in ms since `spawn()`, from the timestamps of the app's own JSON log lines. */
export interface ColdStartMarks {
  /** NestFactory.create began: Node booted and the entry imported Nest, the adapter and the module tree. */
  starting: number;
  /** The app initialised (modules, providers, lifecycle hooks, routes). */
  ready: number;
  /** The listening line: the server is bound and the entry said so. */
  listening: number;
}

/** One process start → first job answered. */
export interface ColdStartRun {
  kind: ColdStartKind;
  adapter: BenchAdapter;
  /** ms from `spawn()` to the first job's answer, on the bench's clock. */
  totalMs: number;
  /** ms from the moment the bench read the listening line to the first job's answer. */
  firstJobMs: number;
  marks: ColdStartMarks;
  rssBytes: number;
  status: number;
}

export interface ColdStartSide {
  runs: number;
  totalMs: number;
  firstJobMs: number;
  /** Medians of the milestones (ms since spawn). */
  startingMs: number;
  readyMs: number;
  listeningMs: number;
  rssMiB: number;
}

export interface ColdStartData {
  adapters: Partial<Record<BenchAdapter, { app: ColdStartSide; bare: ColdStartSide; addedMs: number }>>;
  runs: ColdStartRun[];
}

/**
 * Cold start (what Cloud Run bills and the first job waits for): the example service as it is deployed
 * (`node dist/src/main.js` with the env a deployment sets, `HTTP_ADAPTER` choosing the adapter, pointed at an
 * emulator started here) and a bare Nest app with one `@Post()` route created the same way, each a fresh Node process,
 * timed from `spawn()` to the answer of the first job (sent the moment the process logs that it listens). Sides
 * alternate; one discarded warm-up start per side (disk cache); medians of `coldStartRuns` starts. RSS is read from
 * /proc after the first answer.
 */
export async function runColdStart(ctx: BenchContext): Promise<ScenarioResult<ColdStartData>> {
  const { config } = ctx;
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, httpPort: 0, queues: { projectId: LOCAL_PROJECT_ID, location: LOCAL_REGION, queues: QUEUE_CONFIGS } });
  try {
    const runs: ColdStartRun[] = [];
    for (const adapter of config.adapters) {
      ctx.log(`cold start: ${adapter}, warm-up start per side`);
      for (const kind of ['bare', 'app'] as const) await coldStart(emulator, kind, adapter);
      for (let i = 0; i < config.coldStartRuns; i++) {
        const order: ColdStartKind[] = i % 2 === 0 ? ['bare', 'app'] : ['app', 'bare'];
        for (const kind of order) {
          const run = await coldStart(emulator, kind, adapter);
          ctx.log(`cold start: ${adapter} ${kind} ${fmt(run.totalMs)} ms (listening at ${fmt(run.marks.listening)} ms, first job ${fmt(run.firstJobMs)} ms), RSS ${fmt(run.rssBytes / MIB)} MiB`);
          runs.push(run);
        }
      }
    }
    const data: ColdStartData = { adapters: {}, runs };
    for (const adapter of config.adapters) {
      const side = (kind: ColdStartKind) => sideOf(runs.filter((r) => r.adapter === adapter && r.kind === kind));
      const app = side('app');
      const bare = side('bare');
      data.adapters[adapter] = { app, bare, addedMs: app.totalMs - bare.totalMs };
    }
    return { figures: [figureOf(data, config.adapters, config.coldStartRuns)], data };
  } finally {
    await emulator.close();
  }
}

function sideOf(runs: ColdStartRun[]): ColdStartSide {
  const m = (pick: (r: ColdStartRun) => number) => median(runs.map(pick));
  return {
    runs: runs.length,
    totalMs: m((r) => r.totalMs),
    firstJobMs: m((r) => r.firstJobMs),
    startingMs: m((r) => r.marks.starting),
    readyMs: m((r) => r.marks.ready),
    listeningMs: m((r) => r.marks.listening),
    rssMiB: m((r) => r.rssBytes / MIB),
  };
}

/** The environment a deployment would set, pointed at the emulator (so the app starts no emulator of its own). */
function appEnv(emulator: CloudTasksEmulator, adapter: BenchAdapter, port: number): NodeJS.ProcessEnv {
  const { PATH, HOME } = process.env;
  return {
    PATH,
    HOME,
    NODE_ENV: 'development',
    LOG_FORMAT: 'json',
    HTTP_ADAPTER: adapter,
    PORT: String(port),
    GCP_PROJECT_ID: LOCAL_PROJECT_ID,
    GCP_REGION: LOCAL_REGION,
    CLOUD_RUN_URL: AUDIENCE,
    SERVICE_ACCOUNT_EMAIL: LOCAL_SERVICE_ACCOUNT,
    CLOUD_TASKS_EMULATOR_HOST: emulator.grpcAddress,
    OIDC_CERTS_URL: emulator.certsUrl,
    OIDC_AUDIENCE: AUDIENCE,
    ENABLE_DEV_ENDPOINTS: 'false',
    // NOTE: as outside local mode, where the dashboard is off unless configured.
    JOBS_DASHBOARD: 'false',
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts one process, sends it the first job as soon as it logs that it listens, reads its RSS, stops it. */
async function coldStart(emulator: CloudTasksEmulator, kind: ColdStartKind, adapter: BenchAdapter): Promise<ColdStartRun> {
  const entry = fileURLToPath(new URL(ENTRIES[kind], import.meta.url));
  // NOTE: BENCH_COLD_START_NODE_OPTIONS profiles a start, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof-cold".
  const execArgv = (process.env.BENCH_COLD_START_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
  const port = await freePort();
  const spawnedAt = performance.timeOrigin + performance.now();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...execArgv, entry], { env: appEnv(emulator, adapter, port), stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const at: Partial<ColdStartMarks> = {};
  try {
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const entry = parseLogLine(line);
        if (!entry) return;
        const since = entry.timestamp - spawnedAt;
        if (entry.message === NEST_STARTING) at.starting ??= since;
        else if (entry.message === NEST_READY) at.ready ??= since;
        else if (LISTENING.test(entry.message) && at.listening === undefined) {
          at.listening = since;
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`cold start ${kind} on ${adapter} exited (code ${code}) before listening`)));
    });
    const tListening = performance.now();
    const status = await firstJob(emulator, kind, port);
    const tAnswered = performance.now();
    if (status !== 200) throw new Error(`cold start ${kind} on ${adapter}: the first job answered ${status}`);
    const marks: ColdStartMarks = { starting: at.starting ?? Number.NaN, ready: at.ready ?? Number.NaN, listening: at.listening! };
    return { kind, adapter, totalMs: tAnswered - t0, firstJobMs: tAnswered - tListening, marks, rssBytes: rssOf(child.pid!), status };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** A Nest JSON log line (`ConsoleLogger({ json: true })`), or undefined for anything else on stdout. */
function parseLogLine(line: string): { timestamp: number; message: string } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as { timestamp?: unknown; message?: unknown };
    return typeof entry.timestamp === 'number' && typeof entry.message === 'string' ? { timestamp: entry.timestamp, message: entry.message } : undefined;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process, from /proc (Linux). */
function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** The first job, as Cloud Tasks would deliver it (emulator-signed OIDC token), or the same request to the bare route. */
async function firstJob(emulator: CloudTasksEmulator, kind: ColdStartKind, port: number): Promise<number> {
  const queue = QUEUE_CONFIGS[FIRST_JOB].name;
  const body = JSON.stringify({ jobName: FIRST_JOB, data: SAMPLE_JOBS[FIRST_JOB], idempotencyKey: randomUUID(), enqueuedAt: new Date().toISOString() });
  const path = kind === 'app' ? `/api/jobs/${FIRST_JOB}` : '/bench/bare';
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${emulator.idToken(LOCAL_SERVICE_ACCOUNT, AUDIENCE)}`,
      'x-cloudtasks-queuename': queue,
      'x-cloudtasks-taskname': randomUUID().replace(/-/g, ''),
      'x-cloudtasks-taskretrycount': '0',
      'x-cloudtasks-taskexecutioncount': '0',
      'user-agent': 'Google-Cloud-Tasks',
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

function figureOf(data: ColdStartData, adapters: BenchAdapter[], runs: number): Figure {
  const rows = adapters.flatMap((adapter) => {
    const { app, bare, addedMs } = data.adapters[adapter]!;
    const label = { baselineLabel: '(bare Nest app)' };
    return [
      limitRow(`${adapter}: process start → first job answered, added`, addedMs, COLD_START_TARGET_MS, 'ms', { signed: true, measured: round(app.totalMs, 0), baseline: round(bare.totalMs, 0), ...label }),
      infoRow(`${adapter}: Nest starting / initialised / listening (since spawn)`, `${fmt(app.startingMs)} / ${fmt(app.readyMs)} / ${fmt(app.listeningMs)} ms`, {
        baseline: `${fmt(bare.startingMs)} / ${fmt(bare.readyMs)} / ${fmt(bare.listeningMs)} ms`,
        ratio: `+${fmt(app.startingMs - bare.startingMs)} / +${fmt(app.readyMs - app.startingMs - (bare.readyMs - bare.startingMs))} / +${fmt(app.listeningMs - app.readyMs - (bare.listeningMs - bare.readyMs))} ms`,
        ...label,
      }),
      infoRow(`${adapter}: first job, listening → answered`, round(app.firstJobMs, 1), { unit: 'ms', baseline: round(bare.firstJobMs, 1), ratio: `+${fmt(app.firstJobMs - bare.firstJobMs)} ms`, ...label }),
      infoRow(`${adapter}: RSS after the first job`, round(app.rssMiB, 1), { unit: 'MiB', baseline: round(bare.rssMiB, 1), ratio: ratioText(app.rssMiB, bare.rssMiB), ...label }),
    ];
  });
  return {
    id: 'cold-start',
    short: 'cold start',
    title: 'Cold start: process start → first job answered, the example app vs a bare Nest app of the same adapter',
    design: `the example app answers its first job at most ${COLD_START_TARGET_MS} ms later than a bare Nest app of the same adapter (median of several starts); RSS after boot printed.`,
    rows,
    notes: [
      `Median of ${runs} starts per side after one discarded warm-up start each, sides alternating. Each start is a fresh \`node\` process spawned by the bench; the clock runs from spawn() to the first answer.`,
      `Example app = \`node dist/src/main.js\` with the env a deployment sets (project, region, service URL, service account, HTTP_ADAPTER, LOG_FORMAT=json), CLOUD_TASKS_EMULATOR_HOST and OIDC_CERTS_URL pointing at an emulator started by the bench, verify-signature, memory stores, ENABLE_DEV_ENDPOINTS=false, JOBS_DASHBOARD=false (the defaults of a deployment); first job = ${FIRST_JOB} with its sample payload and an emulator-signed token. Bare = dist/bench/workers/cold-start-bare.entry.js, a Nest app with one @Post() route created with the example's createHttpApp and logger, same headers and body.`,
      'Milestones (ms since spawn, medians, from the timestamps of each process\'s own JSON log lines): Nest starting = "Starting Nest application..." (Node booted, the imports done); initialised = "Nest application successfully started"; listening = the entry\'s listening line. The ratio column of that row gives what the example app adds in each step.',
    ],
    raw: { ...data },
  };
}
