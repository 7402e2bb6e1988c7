import { randomBytes, randomUUID } from 'node:crypto';
import { Redis as UpstashRedis } from '@upstash/redis';
import { startUpstashLocal, type UpstashLocalStats } from '@nest-cloud-tasks/upstash-local';
import { envelopeBody, type BenchContext, type ScenarioResult } from './lib/bench-context.js';
import { BENCH_AUDIENCE, BENCH_ISSUER, BENCH_JOB, BENCH_REDIS_PREFIX, BENCH_SERVICE_ACCOUNT, benchPayload, benchQueue } from './lib/fixtures.js';
import { runHttpLoad } from './lib/http-load.js';
import { BenchWorker } from './lib/ipc.js';
import type { TrackerReport } from './lib/job-tracker.js';
import { LocalOidcIssuer } from './lib/oidc-issuer.js';
import { BenchRedis } from './lib/redis-stats.js';
import { infoRow, ratioText, type Figure, type FigureRow } from './lib/report.js';
import { fmt, round } from './lib/stats.js';

export interface StoreRoundTripsData {
  jobs: number;
  succeeded: number;
  commandsPerJob: number;
  requestsPerJob: number;
  commandsByName: Record<string, number>;
  reference: { commandsPerJob: number; requestsPerJob: number; commandsByName: Record<string, number> };
}

/**
 * Store round trips: jobs sent through the full chain with the Upstash idempotency store pointed at
 * upstash-local (over the local Redis); commands and HTTP round trips are counted at the REST server. Beside it, the
 * reference design's protocol (GET, then SET marker, then SET result: `isProcessed` → `markProcessed` → `cacheResult`)
 * replayed with `@upstash/redis` against the same server.
 */
export async function runStoreRoundTrips(ctx: BenchContext): Promise<ScenarioResult<StoreRoundTripsData>> {
  const { config } = ctx;
  const redis = new BenchRedis();
  await redis.connect();
  const upstash = await startUpstashLocal({ port: 0, token: randomBytes(16).toString('hex') });
  const issuer = await LocalOidcIssuer.start();
  const app = await BenchWorker.start('app.worker', 'app (store round trips)');
  const runId = `${BENCH_REDIS_PREFIX}-store-${randomUUID().slice(0, 8)}`;
  try {
    const { url } = await app.call<{ url: string }>('boot', { certsUrl: issuer.certsUrl, concurrency: config.e2eConcurrency, upstash: { url: upstash.url, token: upstash.token } });
    const token = issuer.sign({ iss: BENCH_ISSUER, aud: BENCH_AUDIENCE, email: BENCH_SERVICE_ACCOUNT, email_verified: true });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-cloudtasks-queuename': benchQueue(1).name, 'x-cloudtasks-taskname': 'bench-task' };
    let seq = 0;
    const body = (id: string) => () => {
      const n = seq++;
      return envelopeBody(BENCH_JOB, benchPayload(id, n), `${id}-${n}`);
    };
    const path = `/api/jobs/${BENCH_JOB}`;

    ctx.log(`store: warm-up ${config.warmupJobs} jobs`);
    await runHttpLoad({ url, path, headers, body: body(`${runId}-warm`), connections: config.connections, amount: Math.min(config.warmupJobs, 500) });
    upstash.resetStats();

    ctx.log(`store: ${config.storeJobs} jobs through the chain with the Upstash store`);
    await app.call('track', { runId, expected: config.storeJobs });
    seq = 0;
    const load = await runHttpLoad({ url, path, headers, body: body(runId), connections: config.connections, amount: config.storeJobs });
    const report = await app.call<TrackerReport>('report', { runId });
    const ours = upstash.stats();

    ctx.log(`store: the reference protocol (GET + SET + SET) for ${config.storeJobs} jobs`);
    upstash.resetStats();
    await replayReference(upstash.url, upstash.token, `${runId}-ref`, config.storeJobs, config.connections);
    const reference = upstash.stats();

    const data: StoreRoundTripsData = {
      jobs: config.storeJobs,
      succeeded: report.completed,
      commandsPerJob: ours.commands / Math.max(1, report.completed),
      requestsPerJob: ours.requests / Math.max(1, report.completed),
      commandsByName: ours.commandsByName,
      reference: {
        commandsPerJob: reference.commands / config.storeJobs,
        requestsPerJob: reference.requests / config.storeJobs,
        commandsByName: reference.commandsByName,
      },
    };
    return { figures: [figureOf(data, ours, load.statuses, report)], data };
  } finally {
    await app.stop();
    await issuer.close();
    await upstash.close();
    const deleted = await redis.deleteKeys(`*${runId}*`);
    ctx.log(`store: removed ${deleted} bench keys from Redis`);
    await redis.close();
  }
}

/** The reference's handler path: `GET idempotency:k`, run, `SET idempotency:k 1 EX 86400`, `SET idempotency:k:result … EX 86400`. */
async function replayReference(url: string, token: string, runId: string, jobs: number, concurrency: number): Promise<void> {
  const client = new UpstashRedis({ url, token, enableAutoPipelining: false, retry: false });
  let next = 0;
  const worker = async () => {
    while (next < jobs) {
      const key = `idempotency:${runId}-${next++}`;
      const processed = await client.get(key);
      if (processed !== null) continue;
      await client.set(key, '1', { ex: 86_400 });
      await client.set(`${key}:result`, JSON.stringify(null), { ex: 86_400 });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function figureOf(data: StoreRoundTripsData, ours: UpstashLocalStats, statuses: Record<string, number>, report: TrackerReport): Figure {
  const exact = data.succeeded === data.jobs && ours.commands === 2 * data.succeeded;
  const commandsRow: FigureRow = {
    metric: 'Upstash commands per successful job',
    measured: round(data.commandsPerJob, 3),
    baseline: round(data.reference.commandsPerJob, 3),
    baselineLabel: '(reference protocol)',
    ratio: ratioText(data.commandsPerJob, data.reference.commandsPerJob),
    target: 'exactly 2',
    verdict: exact ? 'PASS' : 'MISS',
    shortfall: exact
      ? undefined
      : data.succeeded === 0
        ? 'no job succeeded through the Upstash store'
        : ours.commands === 0
          ? 'no command reached the REST server: the app did not use the Upstash store (is idempotency.upstash wired?)'
          : `${fmt(data.commandsPerJob)} commands per job instead of 2 (${ours.commands} for ${data.succeeded} jobs)`,
  };
  const notes = [
    `Our commands by name: ${JSON.stringify(data.commandsByName)}; reference: ${JSON.stringify(data.reference.commandsByName)}.`,
    `${data.jobs} jobs through the full chain (10 connections, unique keys, after a warm-up); responses ${JSON.stringify(statuses)}; processor successes ${report.completed}, ran twice ${report.ranTwice}.`,
  ];
  return {
    id: 'store-round-trips',
    short: 'store round trips',
    title: 'Store round trips: Upstash commands per job (counted at upstash-local)',
    design: 'exactly 2 Upstash commands per successful job (claim + complete), counted at the REST server; the reference needs 3 and is racy.',
    rows: [
      commandsRow,
      infoRow('HTTP round trips to Upstash per job', round(data.requestsPerJob, 3), { baseline: round(data.reference.requestsPerJob, 3), baselineLabel: '(reference)', ratio: ratioText(data.requestsPerJob, data.reference.requestsPerJob) }),
    ],
    notes,
    raw: { ...data, statuses, report },
  };
}
