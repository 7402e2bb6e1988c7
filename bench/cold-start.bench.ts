import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startEmulator, type CloudTasksEmulator } from '../libs/cloud-tasks-emulator/src/index.js';
import { QUEUE_CONFIGS } from '../src/config/queue.config.js';
import { LOCAL_PROJECT_ID, LOCAL_REGION, LOCAL_SERVICE_ACCOUNT } from '../src/local-infrastructure.js';
import { SAMPLE_JOBS } from '../src/jobs/sample-jobs.js';
import type { BenchContext, ScenarioResult } from './lib/bench-context.js';
import type { BenchAdapter } from './lib/config.js';
import { infoRow, limitRow, ratioText, type Figure } from './lib/report.js';
import { fmt, median, round } from './lib/stats.js';
import type { ColdStartKind, ColdStartMarks } from './workers/cold-start.entry.js';

/** Cold start: the example app may take at most this much longer than a bare Nest app of its adapter, ms. */
export const COLD_START_TARGET_MS = 150;

/** The job the cold start ends on: no follow-up enqueue, so it measures the delivery path only. */
const FIRST_JOB = 'token-refresh';
const AUDIENCE = 'https://catchup-bench.example.run.app';
const MIB = 1024 * 1024;

/** One process start → first job answered. */
export interface ColdStartRun {
  kind: ColdStartKind;
  adapter: BenchAdapter;
  /** ms from `fork()` to the first job's answer, on the bench's clock. */
  totalMs: number;
  /** ms from the app's "listening" message to the first job's answer. */
  firstJobMs: number;
  marks: ColdStartMarks;
  rssBytes: number;
  status: number;
}

export interface ColdStartSide {
  runs: number;
  totalMs: number;
  firstJobMs: number;
  /** Medians of the milestones (ms since process start). */
  entryMs: number;
  importedMs: number;
  createdMs: number;
  listeningMs: number;
  rssMiB: number;
}

export interface ColdStartData {
  adapters: Partial<Record<BenchAdapter, { app: ColdStartSide; bare: ColdStartSide; addedMs: number }>>;
  runs: ColdStartRun[];
}

/**
 * Cold start (what Cloud Run bills and the first job waits for): the example service (`AppModule`, all 11
 * processors, the env a deployment sets, pointed at an emulator started here) and a bare Nest app with one `@Post()`
 * route, each started as a fresh Node process on the same adapter, timed from `fork()` to the answer of the first job
 * (sent the moment the process says it listens). Sides alternate; one discarded warm-up start per side (disk cache);
 * medians of `coldStartRuns` starts. RSS is read after the first answer.
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
    entryMs: m((r) => r.marks.entry),
    importedMs: m((r) => r.marks.imported),
    createdMs: m((r) => r.marks.created),
    listeningMs: m((r) => r.marks.listening),
    rssMiB: m((r) => r.rssBytes / MIB),
  };
}

/** The environment a deployment would set, pointed at the emulator (so the app starts no emulator of its own). */
function appEnv(emulator: CloudTasksEmulator): NodeJS.ProcessEnv {
  const { PATH, HOME, REDIS_URL } = process.env;
  return {
    PATH,
    HOME,
    REDIS_URL,
    NODE_ENV: 'development',
    PORT: '0',
    GCP_PROJECT_ID: LOCAL_PROJECT_ID,
    GCP_REGION: LOCAL_REGION,
    CLOUD_RUN_URL: AUDIENCE,
    SERVICE_ACCOUNT_EMAIL: LOCAL_SERVICE_ACCOUNT,
    CLOUD_TASKS_EMULATOR_HOST: emulator.grpcAddress,
    OIDC_CERTS_URL: emulator.certsUrl,
    OIDC_AUDIENCE: AUDIENCE,
    ENABLE_DEV_ENDPOINTS: 'false',
  };
}

/** Starts one process, sends it the first job as soon as it listens, reads its RSS, stops it. */
async function coldStart(emulator: CloudTasksEmulator, kind: ColdStartKind, adapter: BenchAdapter): Promise<ColdStartRun> {
  const path = fileURLToPath(new URL('./workers/cold-start.entry.js', import.meta.url));
  // NOTE: BENCH_COLD_START_NODE_OPTIONS profiles a start, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof-cold".
  const execArgv = (process.env.BENCH_COLD_START_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
  const t0 = performance.now();
  const child = fork(path, [kind, adapter], { env: appEnv(emulator), stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const marks = await new Promise<ColdStartMarks>((resolve, reject) => {
      child.once('message', (message: { marks: ColdStartMarks }) => resolve(message.marks));
      child.once('exit', (code) => reject(new Error(`cold-start ${kind} on ${adapter} exited (code ${code}) before listening`)));
    });
    const tListening = performance.now();
    const status = await firstJob(emulator, kind, marks.port);
    const tAnswered = performance.now();
    if (status !== 200) throw new Error(`cold-start ${kind} on ${adapter}: the first job answered ${status}`);
    const rss = await new Promise<number>((resolve) => {
      child.once('message', (message: { rss: number }) => resolve(message.rss));
      child.send({ cmd: 'rss' });
    });
    return { kind, adapter, totalMs: tAnswered - t0, firstJobMs: tAnswered - tListening, marks, rssBytes: rss, status };
  } finally {
    if (child.connected) child.send({ cmd: 'exit' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
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
      infoRow(`${adapter}: imports done / app created / listening (since process start)`, `${fmt(app.importedMs)} / ${fmt(app.createdMs)} / ${fmt(app.listeningMs)} ms`, { baseline: `${fmt(bare.importedMs)} / ${fmt(bare.createdMs)} / ${fmt(bare.listeningMs)} ms`, ratio: `+${fmt(app.importedMs - bare.importedMs)} / +${fmt(app.createdMs - app.importedMs - (bare.createdMs - bare.importedMs))} / +${fmt(app.listeningMs - app.createdMs - (bare.listeningMs - bare.createdMs))} ms`, ...label }),
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
      `Median of ${runs} starts per side after one discarded warm-up start each, sides alternating. Each start is a fresh \`node\` process (dist/bench/workers/cold-start.entry.js) forked by the bench; the clock runs from fork() to the first answer.`,
      `Example app = AppModule.forRoot(loadAppEnv()) with the env a deployment sets (project, region, service URL, service account), CLOUD_TASKS_EMULATOR_HOST and OIDC_CERTS_URL pointing at an emulator started by the bench, verify-signature, memory stores, ENABLE_DEV_ENDPOINTS=false, JSON logs; first job = ${FIRST_JOB} with its sample payload and an emulator-signed token. Bare = a Nest app with one @Post() route, same adapter, logger, headers and body.`,
      'Milestones (ms since process start, medians): imports done = Nest, the adapter and the module tree loaded; app created = NestFactory.create resolved; listening = app.listen resolved. The ratio column of that row gives what the example app adds in each step.',
    ],
    raw: { ...data },
  };
}
