import { randomUUID } from 'node:crypto';
import { startEmulator, type CloudTasksEmulator, type TaskFinishedEvent } from '@nest-cloud-tasks/emulator';
import type { BenchContext, ScenarioResult } from './lib/bench-context.js';
import type { BenchAdapter } from './lib/config.js';
import { BENCH_JOB, BENCH_LOCATION, BENCH_PROJECT, benchQueue } from './lib/fixtures.js';
import { BenchWorker } from './lib/ipc.js';
import type { TrackerReport } from './lib/job-tracker.js';
import { infoRow, type Figure, type FigureRow } from './lib/report.js';
import { round, sleep } from './lib/stats.js';
import type { AddBulkResult } from './workers/producer.worker.js';

/** One end-to-end run: N jobs enqueued → dispatched by the emulator → handled by the app. */
export interface EndToEndRun {
  label: string;
  jobs: number;
  failEvery: number;
  seconds: number;
  jobsPerSecond: number;
  enqueueSeconds: number;
  appCpuMsPerJob: number;
  producerCpuMsPerJob: number;
  completed: number;
  lost: number;
  ranTwice: number;
  attempts: number;
  injectedFailures: number;
  maxAttempt: number;
  /** Tasks the emulator ended: succeeded, or gave up on (exhausted). */
  outcomes: Record<string, number>;
  /** Dispatch attempts by HTTP status, from the emulator's attempt events. */
  dispatchStatuses: Record<string, number>;
  idle: boolean;
}

export interface EndToEndData {
  jobs: number;
  concurrency: number;
  maxAttemptsPolicy: number;
  timeScale: number;
  /** The clean and the 10 %-failures run of the app on each adapter. */
  adapters: Partial<Record<BenchAdapter, { clean: EndToEndRun; failing: EndToEndRun }>>;
}

const ADD_BULK_CONCURRENCY = 10;
const now = () => performance.timeOrigin + performance.now();

/**
 * End to end: N jobs `addBulk` (default concurrency 10) from a producer process → the emulator (in this process,
 * time scale high so backoffs are short) → POST with a real OIDC token → the app's full chain (verify-signature against
 * the emulator's /certs, memory idempotency store) in its own process, on each adapter in turn → a no-op processor
 * that counts successes per idempotency key. Run once clean and once with a deterministic 10 % of jobs throwing
 * RetryableError on their first attempt. The app's CPU time (process.cpuUsage over IPC) is divided by the jobs.
 */
export async function runEndToEnd(ctx: BenchContext): Promise<ScenarioResult<EndToEndData>> {
  const { config } = ctx;
  const queue = benchQueue(config.e2eConcurrency);
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, httpPort: 0, timeScale: config.timeScale, queues: { projectId: BENCH_PROJECT, location: BENCH_LOCATION, queues: { [BENCH_JOB]: queue } } });
  const data: EndToEndData = { jobs: config.jobs, concurrency: config.e2eConcurrency, maxAttemptsPolicy: queue.retryConfig.maxAttempts, timeScale: config.timeScale, adapters: {} };
  try {
    for (const adapter of config.adapters) {
      const app = await BenchWorker.start('app.worker', `app on ${adapter} (end to end)`);
      let producer: BenchWorker | undefined;
      try {
        const { url } = await app.call<{ url: string }>('boot', { adapter, certsUrl: emulator.certsUrl, concurrency: config.e2eConcurrency });
        producer = await BenchWorker.start('producer.worker', 'producer → emulator');
        await producer.call('boot', { kind: 'cloud-tasks', emulatorHost: emulator.grpcAddress, serviceUrl: url, concurrency: config.e2eConcurrency });

        ctx.log(`e2e ${adapter}: warm-up ${config.warmupJobs} jobs`);
        await runOnce(ctx, emulator, app, producer, { label: 'warm-up', jobs: config.warmupJobs, failEvery: 10 });
        ctx.log(`e2e ${adapter}: ${config.jobs} jobs, no failures`);
        const clean = await runOnce(ctx, emulator, app, producer, { label: `${adapter}, no failures`, jobs: config.jobs, failEvery: 0 });
        ctx.log(`e2e ${adapter}: ${config.jobs} jobs, 10 % transient failures on the first attempt`);
        const failing = await runOnce(ctx, emulator, app, producer, { label: `${adapter}, 10 % transient failures`, jobs: config.jobs, failEvery: 10 });
        data.adapters[adapter] = { clean, failing };
      } finally {
        await producer?.stop();
        await app.stop();
      }
    }
    return { figures: [], data };
  } finally {
    await emulator.close();
  }
}

async function runOnce(
  ctx: BenchContext,
  emulator: CloudTasksEmulator,
  app: BenchWorker,
  producer: BenchWorker,
  run: { label: string; jobs: number; failEvery: number },
): Promise<EndToEndRun> {
  const runId = `e2e-${randomUUID().slice(0, 8)}`;
  const outcomes: Record<string, number> = {};
  const dispatchStatuses: Record<string, number> = {};
  const onFinished = (event: TaskFinishedEvent) => void (outcomes[event.outcome] = (outcomes[event.outcome] ?? 0) + 1);
  const onAttempt = (record: { status: number | string }) => void (dispatchStatuses[record.status] = (dispatchStatuses[record.status] ?? 0) + 1);
  emulator.on('task-finished', onFinished);
  emulator.on('attempt', onAttempt);
  try {
    await app.call('track', { runId, expected: run.jobs, failEvery: run.failEvery });
    const completed = app.once<TrackerReport>('completed', Math.max(120_000, run.jobs * 20)).then((report) => ({ report, at: now() }));
    void completed.catch(() => undefined);
    const cpuApp0 = await app.cpu();
    const t0 = now();
    const enqueue = producer.call<AddBulkResult>('addBulk', { runId, count: run.jobs, concurrency: ADD_BULK_CONCURRENCY });
    let t1: number;
    let enqueued: AddBulkResult;
    try {
      [{ at: t1 }, enqueued] = await Promise.all([completed, enqueue]);
    } catch (error) {
      ctx.log(`e2e ${run.label}: ${(error as Error).message}`);
      enqueued = await enqueue;
      t1 = now();
    }
    const idle = await Promise.race([emulator.idle().then(() => true), sleep(30_000).then(() => false)]);
    const cpuApp1 = await app.cpu();
    // NOTE: a duplicate delivery would land after the original's completion: give stragglers a moment to show up.
    await sleep(250);
    const final = await app.call<TrackerReport>('report', { runId });
    const seconds = (t1 - t0) / 1000;
    return {
      label: run.label,
      jobs: run.jobs,
      failEvery: run.failEvery,
      seconds,
      jobsPerSecond: final.completed / seconds,
      enqueueSeconds: enqueued.ms / 1000,
      appCpuMsPerJob: (cpuApp1.totalMs - cpuApp0.totalMs) / Math.max(1, final.completed),
      producerCpuMsPerJob: enqueued.cpuMs / run.jobs,
      completed: final.completed,
      lost: run.jobs - final.completed,
      ranTwice: final.ranTwice,
      attempts: final.attempts,
      injectedFailures: final.injectedFailures,
      maxAttempt: final.maxAttempt,
      outcomes,
      dispatchStatuses,
      idle,
    };
  } finally {
    emulator.off('task-finished', onFinished);
    emulator.off('attempt', onAttempt);
  }
}

/** The figure of one run's correctness: lost, ran twice, retries within policy. */
export function correctnessRows(run: EndToEndRun, maxAttemptsPolicy: number): FigureRow[] {
  const rows: FigureRow[] = [
    { metric: `lost (${run.label})`, measured: run.lost, target: '0', verdict: run.lost === 0 ? 'PASS' : 'MISS', shortfall: `${run.lost} of ${run.jobs} jobs never completed` },
    { metric: `run twice (${run.label})`, measured: run.ranTwice, target: '0', verdict: run.ranTwice === 0 ? 'PASS' : 'MISS', shortfall: `${run.ranTwice} jobs ran their processor more than once` },
  ];
  if (run.failEvery > 0) {
    const expectedFailures = Math.ceil(run.jobs / run.failEvery);
    const within = run.lost === 0 && run.maxAttempt <= maxAttemptsPolicy && (run.outcomes.exhausted ?? 0) === 0;
    rows.push({
      metric: `all complete within retry policy (${run.label})`,
      measured: `${run.completed}/${run.jobs}, max attempt ${run.maxAttempt}`,
      target: `all, ≤ ${maxAttemptsPolicy} attempts`,
      verdict: within ? 'PASS' : 'MISS',
      shortfall: `${run.lost} lost, ${run.outcomes.exhausted ?? 0} exhausted, max attempt ${run.maxAttempt}`,
    });
    rows.push(infoRow('injected transient failures', run.injectedFailures, { baseline: expectedFailures, baselineLabel: 'expected' }));
  }
  return rows;
}

export function summaryNote(run: EndToEndRun): string {
  return `${run.label}: ${run.jobs} jobs in ${round(run.seconds, 2)} s (enqueue ${round(run.enqueueSeconds, 2)} s), ${run.attempts} processor calls, emulator outcomes ${JSON.stringify(run.outcomes)}, dispatch statuses ${JSON.stringify(run.dispatchStatuses)}${run.idle ? '' : ', emulator NOT idle 30 s after the last completion'}.`;
}
