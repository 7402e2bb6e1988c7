import 'reflect-metadata';
import { Body, Controller, HttpCode, Inject, Module, Post, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import {
  CloudTasksModule,
  JobHandler,
  MemoryIdempotencyStore,
  RetryableError,
  type JobContext,
  type JobProcessor,
} from '@nest-cloud-tasks/core';
import {
  BENCH_AUDIENCE,
  BENCH_JOB,
  BENCH_LOCATION,
  BENCH_PROJECT,
  BENCH_SERVICE_ACCOUNT,
  BenchPayloadDto,
  benchQueue,
} from '../lib/fixtures.js';
import { emit, serveBenchWorker } from '../lib/ipc.js';
import { JobTracker, type TrackerReport, type TrackOptions } from '../lib/job-tracker.js';

/** How the orchestrator boots the app under test. */
export interface AppWorkerBoot {
  /** Where the guard fetches signing certs (the emulator's or the bench issuer's). */
  certsUrl: string;
  /** Upstash REST server for the idempotency store; the memory store when absent. */
  upstash?: { url: string; token: string };
  /** maxConcurrentDispatches of the bench queue (only informative on the handling side). */
  concurrency: number;
}

const TRACKER = Symbol('BenchTracker');
const tracker = new JobTracker();

@JobHandler(BENCH_JOB, { payload: BenchPayloadDto })
class BenchProcessor implements JobProcessor<BenchPayloadDto> {
  constructor(@Inject(TRACKER) private readonly jobs: JobTracker) {}

  process(data: BenchPayloadDto, job: JobContext): null {
    if (this.jobs.attempt(data.runId, data.seq, job.attempt)) throw new RetryableError(`injected transient failure (seq ${data.seq})`);
    this.jobs.done(data.runId, job.idempotencyKey);
    return null;
  }
}

/** The bare route the handler chain is compared with: same process, same body, same response shape. */
@Controller('bench')
class BareController {
  @Post('bare')
  @HttpCode(200)
  bare(@Body() _body: unknown): { success: true; result: null } {
    return { success: true, result: null };
  }
}

@Module({})
class BenchAppModule {
  static forRoot(boot: AppWorkerBoot): DynamicModule {
    return {
      module: BenchAppModule,
      imports: [
        CloudTasksModule.forRoot({
          projectId: BENCH_PROJECT,
          location: BENCH_LOCATION,
          // NOTE: this app only handles jobs; its serviceUrl is never dispatched to (the producer's is).
          serviceUrl: 'http://127.0.0.1',
          serviceAccountEmail: BENCH_SERVICE_ACCOUNT,
          queues: { [BENCH_JOB]: benchQueue(boot.concurrency) },
          emulatorHost: '127.0.0.1:1',
          auth: { mode: 'verify-signature', audience: BENCH_AUDIENCE, certsUrl: boot.certsUrl },
          idempotency: boot.upstash ? { upstash: boot.upstash } : { store: new MemoryIdempotencyStore() },
        }),
      ],
      controllers: [BareController],
      providers: [BenchProcessor, { provide: TRACKER, useValue: tracker }],
    };
  }
}

let app: INestApplication | undefined;

serveBenchWorker(
  {
    boot: async (boot: AppWorkerBoot): Promise<{ url: string }> => {
      app = await NestFactory.create(BenchAppModule.forRoot(boot), { logger: ['error', 'warn'] });
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}` };
    },
    /** Starts counting the jobs of `runId`; pushes `completed` once `expected` distinct jobs have succeeded. */
    track: ({ runId, ...options }: { runId: string } & TrackOptions) => {
      tracker.track(runId, options, (report) => emit('completed', report));
    },
    report: ({ runId }: { runId: string }): TrackerReport => tracker.report(runId),
  },
  async () => {
    await app?.close();
  },
);
