import { randomUUID } from 'node:crypto';
import { createEmulatorClient, startEmulator } from '@nest-cloud-tasks/emulator';
import type { BenchContext, ScenarioResult } from './lib/bench-context.js';
import { BENCH_JOB, BENCH_LOCATION, BENCH_PROJECT, benchQueue } from './lib/fixtures.js';
import { BenchWorker, cpuSample } from './lib/ipc.js';
import { startNoopTasksServer } from './lib/noop-tasks-server.js';
import { infoRow, ratioRow, ratioText, type Figure } from './lib/report.js';
import { round, summarize, type LatencySummary } from './lib/stats.js';
import type { AddBulkResult } from './workers/producer.worker.js';

type Target = 'emulator' | 'ceiling';

interface BulkRun {
  target: Target;
  concurrency: number;
  tasksPerSecond: number;
  producerCpuMsPerTask: number;
  serverCpuMsPerTask: number;
  failed: number;
  firstError?: string;
}

export interface EnqueueData {
  jobs: number;
  bulk: Record<number, Record<Target, BulkRun>>;
  single: Record<Target, LatencySummary>;
  runs: BulkRun[];
}

const CONCURRENCIES = [10, 200] as const;

/**
 * Enqueue: `JobQueueService.addBulk` of N jobs through the real `CloudTasksClient` (gRPC) into the
 * emulator, beside the same calls into a no-op gRPC CreateTask server (the ceiling), at concurrency 10 and 200; then
 * sequential single `add()` latency against both. The client runs in a child process (one per target); both servers
 * run here. The emulator's queue is paused so it only stores tasks (dispatching them is the end-to-end bench's job).
 * Rounds alternate the targets; the best round of each side is kept.
 */
export async function runEnqueue(ctx: BenchContext): Promise<ScenarioResult<EnqueueData>> {
  const { config } = ctx;
  const queue = benchQueue(config.e2eConcurrency);
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, httpPort: 0, timeScale: 1, queues: { projectId: BENCH_PROJECT, location: BENCH_LOCATION, queues: { [BENCH_JOB]: queue } } });
  const ceiling = await startNoopTasksServer();
  const admin = createEmulatorClient(emulator.grpcAddress);
  const queuePath = `projects/${BENCH_PROJECT}/locations/${BENCH_LOCATION}/queues/${queue.name}`;
  const producers: Partial<Record<Target, BenchWorker>> = {};
  try {
    await admin.pauseQueue({ name: queuePath });
    // NOTE: the serviceUrl is never called: the queue is paused and the no-op server drops tasks.
    const serviceUrl = 'http://127.0.0.1:9';
    for (const [target, address] of [['ceiling', ceiling.address], ['emulator', emulator.grpcAddress]] as const) {
      const producer = await BenchWorker.start('producer.worker', `producer → ${target}`);
      producers[target] = producer;
      await producer.call('boot', { kind: 'cloud-tasks', emulatorHost: address, serviceUrl, concurrency: config.e2eConcurrency });
    }
    const purge = () => admin.purgeQueue({ name: queuePath }).then(() => undefined);

    ctx.log(`enqueue: warm-up ${config.warmupJobs} tasks per target`);
    for (const target of ['ceiling', 'emulator'] as const) {
      await producers[target]!.call('addBulk', { runId: 'warm', count: config.warmupJobs, concurrency: 10 });
      await producers[target]!.call('addSequential', { runId: 'warm', count: 50 });
    }
    await purge();

    const runs: BulkRun[] = [];
    for (let round = 0; round < config.enqueueRounds; round++) {
      for (const concurrency of CONCURRENCIES) {
        const order: Target[] = round % 2 === 0 ? ['ceiling', 'emulator'] : ['emulator', 'ceiling'];
        for (const target of order) {
          ctx.log(`enqueue: addBulk ${config.jobs} → ${target}, concurrency ${concurrency} (round ${round + 1}/${config.enqueueRounds})`);
          const here0 = cpuSample();
          const result = await producers[target]!.call<AddBulkResult>('addBulk', { runId: `bulk-${randomUUID().slice(0, 8)}`, count: config.jobs, concurrency });
          const serverCpuMs = cpuSample().totalMs - here0.totalMs;
          runs.push({
            target,
            concurrency,
            tasksPerSecond: (result.count - result.failed) / (result.ms / 1000),
            producerCpuMsPerTask: result.cpuMs / result.count,
            serverCpuMsPerTask: serverCpuMs / result.count,
            failed: result.failed,
            firstError: result.firstError,
          });
          if (target === 'emulator') await purge();
        }
      }
    }

    const latencies: Record<Target, number[]> = { ceiling: [], emulator: [] };
    const perRound = Math.ceil(config.singleAdds / 2);
    for (const order of [['ceiling', 'emulator'], ['emulator', 'ceiling']] as const) {
      for (const target of order) {
        ctx.log(`enqueue: ${perRound} sequential add() → ${target}`);
        const { latencies: ms } = await producers[target]!.call<{ latencies: number[] }>('addSequential', { runId: `single-${randomUUID().slice(0, 8)}`, count: perRound });
        for (const one of ms) latencies[target].push(one);
      }
    }
    await purge();

    const best = (target: Target, concurrency: number) =>
      runs.filter((r) => r.target === target && r.concurrency === concurrency).reduce((a, b) => (b.tasksPerSecond > a.tasksPerSecond ? b : a));
    const bulk: EnqueueData['bulk'] = {};
    for (const c of CONCURRENCIES) bulk[c] = { emulator: best('emulator', c), ceiling: best('ceiling', c) };
    const data: EnqueueData = { jobs: config.jobs, bulk, single: { emulator: summarize(latencies.emulator), ceiling: summarize(latencies.ceiling) }, runs };
    return { figures: [figureOf(data, config.enqueueRounds)], data };
  } finally {
    for (const producer of Object.values(producers)) await producer.stop();
    await admin.close().catch(() => undefined);
    await ceiling.close();
    await emulator.close();
  }
}

function figureOf(data: EnqueueData, rounds: number): Figure {
  const rows = CONCURRENCIES.map((c) =>
    ratioRow(`addBulk ${data.jobs.toLocaleString('en-US')} tasks/s, concurrency ${c}`, round(data.bulk[c].emulator.tasksPerSecond, 0), round(data.bulk[c].ceiling.tasksPerSecond, 0), { min: 0.8 }, { unit: 'tasks/s', baselineLabel: '(no-op ceiling)' }),
  );
  const { emulator, ceiling } = data.single;
  rows.push(ratioRow('single add() p95', round(emulator.p95, 3), round(ceiling.p95, 3), { max: 2 }, { unit: 'ms', baselineLabel: '(no-op ceiling)' }));
  rows.push(infoRow('single add() p50', round(emulator.p50, 3), { unit: 'ms', baseline: round(ceiling.p50, 3), baselineLabel: '(no-op ceiling)', ratio: ratioText(emulator.p50, ceiling.p50) }));
  for (const c of CONCURRENCIES) {
    const { emulator: e, ceiling: n } = data.bulk[c];
    rows.push(infoRow(`client CPU per task, concurrency ${c}`, round(e.producerCpuMsPerTask, 4), { unit: 'ms', baseline: round(n.producerCpuMsPerTask, 4), baselineLabel: '(no-op ceiling)', ratio: ratioText(e.producerCpuMsPerTask, n.producerCpuMsPerTask) }));
  }
  for (const c of CONCURRENCIES) {
    const { emulator: e, ceiling: n } = data.bulk[c];
    rows.push(infoRow(`server CPU per task, concurrency ${c}`, round(e.serverCpuMsPerTask, 4), { unit: 'ms', baseline: round(n.serverCpuMsPerTask, 4), baselineLabel: '(no-op server)', ratio: ratioText(e.serverCpuMsPerTask, n.serverCpuMsPerTask) }));
  }
  const failed = data.runs.filter((r) => r.failed > 0);
  const notes = [
    `Best of ${rounds} alternating round(s) per side; the no-op ceiling measured ${round(data.bulk[10].ceiling.tasksPerSecond, 0)} tasks/s at concurrency 10 and ${round(data.bulk[200].ceiling.tasksPerSecond, 0)} at 200 (earlier, colder measurements on this machine saw about 1,300 and 1,900).`,
    `Single add(): ${data.single.emulator.samples} sequential calls per side (p50/p95/p99 emulator ${round(emulator.p50, 3)}/${round(emulator.p95, 3)}/${round(emulator.p99, 3)} ms, ceiling ${round(ceiling.p50, 3)}/${round(ceiling.p95, 3)}/${round(ceiling.p99, 3)} ms).`,
    'The client (JobQueueService → CloudTasksClient over gRPC) runs in a child process; the emulator (queue paused: it stores, validates and names tasks, no dispatch) and the no-op server run in the orchestrator.',
  ];
  for (const r of failed) notes.push(`WARNING ${r.target} c=${r.concurrency}: ${r.failed} tasks failed (${r.firstError ?? 'unknown error'})`);
  return {
    id: 'enqueue',
    short: 'enqueue',
    title: 'Enqueue: addBulk and add() into the emulator vs a no-op gRPC CreateTask server',
    design: '`addBulk` of 10,000 jobs through the real client into the emulator ≥ 0.8× the no-op CreateTask ceiling (≈1,300 tasks/s at c=10, 1,900 at c=200 on this machine); single `add` p95 within 2× the ceiling\'s p95.',
    rows,
    notes,
    raw: data as unknown as Record<string, unknown>,
  };
}
