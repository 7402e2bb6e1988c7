import 'reflect-metadata';
import { Inject, Module, type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BullModule, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { BenchPayload } from '../lib/fixtures.js';
import { emit, serveBenchWorker } from '../lib/ipc.js';
import { JobTracker, type TrackerReport, type TrackOptions } from '../lib/job-tracker.js';

/** Boot of the BullMQ side: a `@nestjs/bullmq` `@Processor` (WorkerHost) on the local Redis. */
export interface BullmqWorkerBoot {
  connection: { host: string; port: number };
  prefix: string;
  queueName: string;
  /** Worker concurrency: the same number as the emulator's maxConcurrentDispatches on the HTTP side. */
  concurrency: number;
}

const TRACKER = Symbol('BenchTracker');
const tracker = new JobTracker();

/** The processor class, made at boot because `@Processor()` takes its queue name and concurrency as decorator arguments. */
function benchProcessor(queueName: string, concurrency: number): Type<WorkerHost> {
  @Processor(queueName, { concurrency })
  class BenchBullProcessor extends WorkerHost {
    constructor(@Inject(TRACKER) private readonly jobs: JobTracker) {
      super();
    }

    async process(job: Job<BenchPayload>): Promise<null> {
      if (this.jobs.attempt(job.data.runId, job.data.seq, job.attemptsMade + 1)) throw new Error(`injected transient failure (seq ${job.data.seq})`);
      this.jobs.done(job.data.runId, job.id!);
      return null;
    }

    /** NOTE: BullMQ emits `completed` after the job is moved to finished in Redis: the run is over only then. */
    @OnWorkerEvent('completed')
    onCompleted(job: Job<BenchPayload>): void {
      this.jobs.acknowledged(job.data.runId);
    }
  }
  return BenchBullProcessor;
}

@Module({})
class BullmqWorkerModule {
  static forRoot(boot: BullmqWorkerBoot): DynamicModule {
    return {
      module: BullmqWorkerModule,
      imports: [BullModule.forRoot({ connection: boot.connection, prefix: boot.prefix }), BullModule.registerQueue({ name: boot.queueName })],
      providers: [benchProcessor(boot.queueName, boot.concurrency), { provide: TRACKER, useValue: tracker }],
    };
  }
}

let context: INestApplicationContext | undefined;

serveBenchWorker(
  {
    boot: async (boot: BullmqWorkerBoot) => {
      context = await NestFactory.createApplicationContext(BullmqWorkerModule.forRoot(boot), { logger: ['error', 'warn'] });
      await context.init();
    },
    track: ({ runId, ...options }: { runId: string } & TrackOptions) => {
      tracker.track(runId, { completeOn: 'acknowledged', ...options }, (report) => emit('completed', report));
    },
    report: ({ runId }: { runId: string }): TrackerReport => tracker.report(runId),
  },
  async () => {
    await context?.close();
  },
);
