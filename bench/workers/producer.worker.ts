import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { BulkEnqueueError, CloudTasksModule, JobQueueService, MemoryIdempotencyStore } from '@nest-cloud-tasks/core';
import {
  BENCH_AUDIENCE,
  BENCH_JOB,
  BENCH_LOCATION,
  BENCH_PROJECT,
  BENCH_SERVICE_ACCOUNT,
  benchPayload,
  benchQueue,
  bullmqBenchQueue,
} from '../lib/fixtures.js';
import { cpuSample, serveBenchWorker } from '../lib/ipc.js';

/** Boot of a Cloud Tasks producer: `JobQueueService` pointed at a gRPC endpoint (the emulator or the no-op server). */
export interface CloudTasksProducerBoot {
  kind: 'cloud-tasks';
  emulatorHost: string;
  /** Where tasks are POSTed (the app under test). */
  serviceUrl: string;
  concurrency: number;
  /** Send through the module's BullMQ transport on this Redis instead of Cloud Tasks. */
  bullmq?: { connection: { host: string; port: number }; prefix: string };
}

/** Boot of a BullMQ producer: a `Queue` from `@nestjs/bullmq` on the local Redis. */
export interface BullmqProducerBoot {
  kind: 'bullmq';
  connection: { host: string; port: number };
  prefix: string;
  queueName: string;
}

export interface AddBulkArgs {
  runId: string;
  count: number;
  /** addBulk concurrency (Cloud Tasks only). */
  concurrency?: number;
}

/** What a producer reports of one batch: wall time and its own CPU, measured inside the producer. */
export interface AddBulkResult {
  count: number;
  failed: number;
  firstError?: string;
  ms: number;
  cpuMs: number;
  startedAt: number;
}

@Module({})
class CloudTasksProducerModule {
  static forRoot(boot: CloudTasksProducerBoot): DynamicModule {
    return {
      module: CloudTasksProducerModule,
      imports: [
        CloudTasksModule.forRoot({
          projectId: BENCH_PROJECT,
          location: BENCH_LOCATION,
          serviceUrl: boot.serviceUrl,
          serviceAccountEmail: BENCH_SERVICE_ACCOUNT,
          queues: { [BENCH_JOB]: boot.bullmq ? bullmqBenchQueue(boot.concurrency) : benchQueue(boot.concurrency) },
          emulatorHost: boot.emulatorHost,
          auth: { mode: 'verify-signature', audience: BENCH_AUDIENCE },
          idempotency: { store: new MemoryIdempotencyStore() },
          ...(boot.bullmq ? { transport: { default: 'bullmq' as const, bullmq: { connection: boot.bullmq.connection, prefix: boot.bullmq.prefix } } } : {}),
        }),
      ],
    };
  }
}

@Module({})
class BullmqProducerModule {
  static forRoot(boot: BullmqProducerBoot): DynamicModule {
    return {
      module: BullmqProducerModule,
      imports: [BullModule.forRoot({ connection: boot.connection, prefix: boot.prefix }), BullModule.registerQueue({ name: boot.queueName })],
    };
  }
}

/** BullMQ job options of the comparison: completed jobs are removed (Cloud Tasks deletes them too), 5 attempts. */
const BULLMQ_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 100 } };
const BULLMQ_CHUNK = 1_000;

let context: INestApplicationContext | undefined;
let boot: CloudTasksProducerBoot | BullmqProducerBoot | undefined;

async function timed(run: () => Promise<{ failed: number; firstError?: string }>, count: number): Promise<AddBulkResult> {
  const cpu0 = cpuSample();
  const startedAt = performance.timeOrigin + performance.now();
  const t0 = performance.now();
  const { failed, firstError } = await run();
  const ms = performance.now() - t0;
  return { count, failed, firstError, ms, cpuMs: cpuSample().totalMs - cpu0.totalMs, startedAt };
}

async function cloudTasksBulk(args: AddBulkArgs): Promise<AddBulkResult> {
  const jobs = context!.get(JobQueueService);
  const items = Array.from({ length: args.count }, (_, seq) => ({ name: BENCH_JOB, data: benchPayload(args.runId, seq) }));
  return timed(async () => {
    try {
      await jobs.addBulk(items, { concurrency: args.concurrency ?? 10 });
      return { failed: 0 };
    } catch (error) {
      if (!(error instanceof BulkEnqueueError)) throw error;
      const failures = error.results.filter((r) => !r.ok);
      const first = failures[0];
      return { failed: failures.length, firstError: first && !first.ok ? first.error.message : undefined };
    }
  }, args.count);
}

async function bullmqBulk(args: AddBulkArgs): Promise<AddBulkResult> {
  const { queueName } = boot as BullmqProducerBoot;
  const queue = context!.get<Queue>(getQueueToken(queueName));
  const items = Array.from({ length: args.count }, (_, seq) => ({ name: BENCH_JOB, data: benchPayload(args.runId, seq), opts: BULLMQ_JOB_OPTIONS }));
  return timed(async () => {
    for (let i = 0; i < items.length; i += BULLMQ_CHUNK) await queue.addBulk(items.slice(i, i + BULLMQ_CHUNK));
    return { failed: 0 };
  }, args.count);
}

serveBenchWorker(
  {
    boot: async (options: CloudTasksProducerBoot | BullmqProducerBoot) => {
      boot = options;
      const module = options.kind === 'cloud-tasks' ? CloudTasksProducerModule.forRoot(options) : BullmqProducerModule.forRoot(options);
      context = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'] });
      await context.init();
    },
    addBulk: (args: AddBulkArgs) => (boot?.kind === 'bullmq' ? bullmqBulk(args) : cloudTasksBulk(args)),
    /** `count` single `add()` calls one after the other; resolves each call's latency in ms. */
    addSequential: async ({ runId, count }: { runId: string; count: number }): Promise<{ latencies: number[]; failed: number }> => {
      const jobs = context!.get(JobQueueService);
      const latencies: number[] = [];
      let failed = 0;
      for (let seq = 0; seq < count; seq++) {
        const t0 = performance.now();
        try {
          await jobs.add(BENCH_JOB, benchPayload(runId, seq));
          latencies.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
      return { latencies, failed };
    },
  },
  async () => {
    await context?.close();
  },
);
