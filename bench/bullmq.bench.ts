import { randomUUID } from 'node:crypto';
import type { BenchContext, ScenarioResult } from './lib/bench-context.js';
import { infoRow, ratioText, type Figure } from './lib/report.js';
import { BENCH_REDIS_PREFIX } from './lib/fixtures.js';
import { BenchWorker } from './lib/ipc.js';
import type { TrackerReport } from './lib/job-tracker.js';
import { BenchRedis, commandDelta, REDIS_URL } from './lib/redis-stats.js';
import { round, sleep } from './lib/stats.js';
import type { AddBulkResult } from './workers/producer.worker.js';

export interface BullmqData {
  jobs: number;
  concurrency: number;
  seconds: number;
  jobsPerSecond: number;
  enqueueSeconds: number;
  workerCpuMsPerJob: number;
  producerCpuMsPerJob: number;
  completed: number;
  lost: number;
  ranTwice: number;
  redisCommandsPerJob: number;
  redisCommandsByName: Record<string, number>;
  /** The same workload through this module's BullMQ transport (our pipeline on a BullMQ worker), run alternately. */
  transport?: Omit<BullmqData, 'concurrency' | 'transport'>;
}

const QUEUE_NAME = 'bench-noop';
const now = () => performance.timeOrigin + performance.now();

/**
 * The peer: the same N-job workload on `@nestjs/bullmq` over the local Redis. A producer process
 * `addBulk`s the jobs (chunks of 1,000; removeOnComplete, like Cloud Tasks deleting finished tasks) while a worker
 * process runs a `@Processor()` / `WorkerHost` with the same concurrency as the emulator's maxConcurrentDispatches and
 * the same no-op body. The run ends when BullMQ reports the last job completed; the worker's CPU time is divided by the
 * jobs; Redis commands are the `INFO commandstats` delta over the run. Keys live under a bench prefix, removed after.
 */
export async function runBullmq(ctx: BenchContext): Promise<ScenarioResult<BullmqData>> {
  const { config } = ctx;
  const redis = new BenchRedis();
  await redis.connect();
  const url = new URL(REDIS_URL);
  const connection = { host: url.hostname, port: Number(url.port || 6379) };
  const prefix = `${BENCH_REDIS_PREFIX}-bull-${randomUUID().slice(0, 8)}`;
  const peer = await startPeer(connection, prefix, config.e2eConcurrency);
  const ours = await startTransport(connection, `${prefix}-t`, config.e2eConcurrency);
  try {
    ctx.log(`bullmq: warm-up ${config.warmupJobs} jobs on each side`);
    await runOnce(peer, redis, config.warmupJobs);
    await runOnce(ours, redis, config.warmupJobs);
    // NOTE: the sides alternate (peer, ours, peer, ours) and the better of each side's two runs is kept, so a burst of
    // load from elsewhere on the machine does not decide the ratio.
    ctx.log(`bullmq: ${config.jobs} jobs, concurrency ${config.e2eConcurrency}, @nestjs/bullmq and the module's BullMQ transport alternately`);
    const peerRuns = [await runOnce(peer, redis, config.jobs)];
    const ourRuns = [await runOnce(ours, redis, config.jobs)];
    peerRuns.push(await runOnce(peer, redis, config.jobs));
    ourRuns.push(await runOnce(ours, redis, config.jobs));
    const best = <T extends { workerCpuMsPerJob: number }>(runs: T[]) => runs.reduce((a, b) => (b.workerCpuMsPerJob < a.workerCpuMsPerJob ? b : a));
    return { figures: [transportFigure(best(ourRuns), best(peerRuns))], data: { ...best(peerRuns), concurrency: config.e2eConcurrency, transport: best(ourRuns) } };
  } finally {
    for (const side of [peer, ours]) {
      await side.producer.stop();
      await side.worker.stop();
    }
    const deleted = (await redis.deleteKeys(`${prefix}:*`)) + (await redis.deleteKeys(`${prefix}-t:*`));
    ctx.log(`bullmq: removed ${deleted} bench keys from Redis`);
    await redis.close();
  }
}

/** One side of the comparison: a producer process and a worker process. */
interface Side {
  producer: BenchWorker;
  worker: BenchWorker;
  /** Resolves once the queue holds nothing more of the run (ours: finished jobs moved out of BullMQ's lists). */
  drained(): Promise<void>;
}

/** The peer: `@nestjs/bullmq`'s Queue and a `@Processor()` worker. */
async function startPeer(connection: { host: string; port: number }, prefix: string, concurrency: number): Promise<Side> {
  const worker = await BenchWorker.start('bullmq.worker', 'bullmq worker');
  await worker.call('boot', { connection, prefix, queueName: QUEUE_NAME, concurrency });
  const producer = await BenchWorker.start('producer.worker', 'bullmq producer');
  await producer.call('boot', { kind: 'bullmq', connection, prefix, queueName: QUEUE_NAME });
  return { producer, worker, drained: async () => undefined };
}

/** Ours: `JobQueueService` routed to the BullMQ transport, and the module's worker running a `@JobHandler`. */
async function startTransport(connection: { host: string; port: number }, prefix: string, concurrency: number): Promise<Side> {
  const bullmq = { connection, prefix };
  const worker = await BenchWorker.start('app.worker', 'transport worker');
  // NOTE: no HTTP delivery in this run: the certs URL is never used for a token.
  await worker.call('boot', { adapter: 'fastify', certsUrl: 'http://127.0.0.1:9/certs', concurrency, bullmq });
  const producer = await BenchWorker.start('producer.worker', 'transport producer');
  await producer.call('boot', { kind: 'cloud-tasks', emulatorHost: '127.0.0.1:9', serviceUrl: 'http://127.0.0.1:9', concurrency, bullmq });
  return { producer, worker, drained: () => worker.call('bullmqDrained', {}) };
}

async function runOnce({ worker, producer, drained }: Side, redis: BenchRedis, jobs: number): Promise<Omit<BullmqData, 'concurrency' | 'transport'>> {
  const runId = `bull-${randomUUID().slice(0, 8)}`;
  await worker.call('track', { runId, expected: jobs });
  const completed = worker.once<TrackerReport>('completed', Math.max(120_000, jobs * 20)).then((report) => ({ report, at: now() }));
  void completed.catch(() => undefined);
  // NOTE: let the idle worker settle into its blocking wait so the delta holds this run only.
  await sleep(100);
  const stats0 = await redis.commandStats();
  const cpu0 = await worker.cpu();
  const t0 = now();
  const [{ at: t1 }, enqueued] = await Promise.all([completed.then(async (done) => (await drained(), { ...done, at: now() })), producer.call<AddBulkResult>('addBulk', { runId, count: jobs, concurrency: 50 })]);
  const cpu1 = await worker.cpu();
  const stats1 = await redis.commandStats();
  await sleep(250);
  const report = await worker.call<TrackerReport>('report', { runId });
  const delta = commandDelta(stats0, stats1);
  const seconds = (t1 - t0) / 1000;
  return {
    jobs,
    seconds,
    jobsPerSecond: report.completed / seconds,
    enqueueSeconds: enqueued.ms / 1000,
    workerCpuMsPerJob: (cpu1.totalMs - cpu0.totalMs) / Math.max(1, report.completed),
    producerCpuMsPerJob: enqueued.cpuMs / jobs,
    completed: report.completed,
    lost: jobs - report.completed,
    ranTwice: report.ranTwice,
    redisCommandsPerJob: delta.total / jobs,
    redisCommandsByName: delta.byCommand,
  };
}

/** Our BullMQ transport beside plain `@nestjs/bullmq` on the same workload. */
function transportFigure(ours: Omit<BullmqData, 'concurrency' | 'transport'>, peer: Omit<BullmqData, 'concurrency' | 'transport'>): Figure {
  const PEER = '(@nestjs/bullmq)';
  return {
    id: 'bullmq-transport',
    short: 'bullmq transport',
    title: "The module's BullMQ transport beside plain @nestjs/bullmq: the same jobs, payload, concurrency and Redis",
    design: 'printed for the migration runbook: what a job costs while it still runs on BullMQ through this module (no target).',
    rows: [
      infoRow('worker CPU per job', round(ours.workerCpuMsPerJob, 4), { unit: 'ms', baseline: round(peer.workerCpuMsPerJob, 4), baselineLabel: PEER, ratio: ratioText(ours.workerCpuMsPerJob, peer.workerCpuMsPerJob) }),
      infoRow('producer CPU per job', round(ours.producerCpuMsPerJob, 4), { unit: 'ms', baseline: round(peer.producerCpuMsPerJob, 4), baselineLabel: PEER, ratio: ratioText(ours.producerCpuMsPerJob, peer.producerCpuMsPerJob) }),
      infoRow('jobs/s, enqueue → run', round(ours.jobsPerSecond, 0), { unit: 'jobs/s', baseline: round(peer.jobsPerSecond, 0), baselineLabel: PEER, ratio: ratioText(ours.jobsPerSecond, peer.jobsPerSecond) }),
      infoRow('Redis commands per job', round(ours.redisCommandsPerJob, 2), { baseline: round(peer.redisCommandsPerJob, 2), baselineLabel: PEER, ratio: ratioText(ours.redisCommandsPerJob, peer.redisCommandsPerJob) }),
      infoRow('lost / run twice', `${ours.lost} / ${ours.ranTwice}`, { baseline: `${peer.lost} / ${peer.ranTwice}`, baselineLabel: PEER }),
    ],
    notes: [
      "Ours: JobQueueService.addBulk (concurrency 50) routed to the BullMQ transport (one named job per add(): a GetJob and an add, so a re-added key is a duplicate), and the module's worker running a @JobHandler through the pipeline (envelope parse, class-validator on the payload, idempotency claim + complete in the memory store, lifecycle events and JSON log lines). The peer: Queue.addBulk in chunks of 1,000 and a WorkerHost with the same no-op body.",
      'Sides alternate, two runs each; the run with the lower worker CPU per job is kept for each side. Redis commands are INFO commandstats deltas (server-wide).',
    ],
    raw: { ours, peer },
  };
}
