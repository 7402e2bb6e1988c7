import { randomUUID } from 'node:crypto';
import type { BenchContext, ScenarioResult } from './lib/bench-context.js';
import { BENCH_REDIS_PREFIX } from './lib/fixtures.js';
import { BenchWorker } from './lib/ipc.js';
import type { TrackerReport } from './lib/job-tracker.js';
import { BenchRedis, commandDelta, REDIS_URL } from './lib/redis-stats.js';
import { sleep } from './lib/stats.js';
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
  const worker = await BenchWorker.start('bullmq.worker', 'bullmq worker');
  let producer: BenchWorker | undefined;
  try {
    await worker.call('boot', { connection, prefix, queueName: QUEUE_NAME, concurrency: config.e2eConcurrency });
    producer = await BenchWorker.start('producer.worker', 'bullmq producer');
    await producer.call('boot', { kind: 'bullmq', connection, prefix, queueName: QUEUE_NAME });

    ctx.log(`bullmq: warm-up ${config.warmupJobs} jobs`);
    await runOnce(worker, producer, redis, config.warmupJobs);
    ctx.log(`bullmq: ${config.jobs} jobs, concurrency ${config.e2eConcurrency}`);
    const data = await runOnce(worker, producer, redis, config.jobs);
    return { figures: [], data: { ...data, concurrency: config.e2eConcurrency } };
  } finally {
    await producer?.stop();
    await worker.stop();
    const deleted = await redis.deleteKeys(`${prefix}:*`);
    ctx.log(`bullmq: removed ${deleted} bench keys from Redis`);
    await redis.close();
  }
}

async function runOnce(worker: BenchWorker, producer: BenchWorker, redis: BenchRedis, jobs: number): Promise<Omit<BullmqData, 'concurrency'>> {
  const runId = `bull-${randomUUID().slice(0, 8)}`;
  await worker.call('track', { runId, expected: jobs });
  const completed = worker.once<TrackerReport>('completed', Math.max(120_000, jobs * 20)).then((report) => ({ report, at: now() }));
  void completed.catch(() => undefined);
  // NOTE: let the idle worker settle into its blocking wait so the delta holds this run only.
  await sleep(100);
  const stats0 = await redis.commandStats();
  const cpu0 = await worker.cpu();
  const t0 = now();
  const [{ at: t1 }, enqueued] = await Promise.all([completed, producer.call<AddBulkResult>('addBulk', { runId, count: jobs })]);
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
