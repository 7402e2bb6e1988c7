import 'reflect-metadata';
import {
  Body,
  ConsoleLogger,
  Controller,
  HttpCode,
  Inject,
  Injectable,
  Module,
  Post,
  UseGuards,
  UseInterceptors,
  type CallHandler,
  type CanActivate,
  type DynamicModule,
  type INestApplication,
  type LoggerService,
  type NestInterceptor,
} from '@nestjs/common';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import {
  CloudTasksModule,
  JobHandler,
  JobTransports,
  MemoryIdempotencyStore,
  RetryableError,
  type JobContext,
  type JobProcessor,
} from '@nest-cloud-tasks/core';
import type { BenchAdapter } from '../lib/config.js';
import {
  BENCH_AUDIENCE,
  BENCH_JOB,
  BENCH_LOCATION,
  BENCH_PROJECT,
  BENCH_SERVICE_ACCOUNT,
  BenchPayloadDto,
  benchQueue,
  bullmqBenchQueue,
} from '../lib/fixtures.js';
import { emit, serveBenchWorker } from '../lib/ipc.js';
import { BareController } from './bare.controller.js';
import { JobTracker, type TrackerReport, type TrackOptions } from '../lib/job-tracker.js';
import { RssWatch } from '../lib/rss-watch.js';

/** How the orchestrator boots the app under test. */
export interface AppWorkerBoot {
  /** `@nestjs/platform-express` (default) or `@nestjs/platform-fastify`. */
  adapter?: BenchAdapter;
  /** Where the guard fetches signing certs (the emulator's or the bench issuer's). */
  certsUrl: string;
  /** Upstash REST server for the idempotency store; the memory store when absent. */
  upstash?: { url: string; token: string };
  /** maxConcurrentDispatches of the bench queue (only informative on the handling side). */
  concurrency: number;
  /**
   * `json` (default): Nest's ConsoleLogger in JSON mode at its default levels, as the example app runs in production,
   * so the module's lifecycle lines are written (to /dev/null: the worker's stdout is dropped). `quiet`: errors and
   * warnings only.
   */
  log?: 'json' | 'quiet';
  /**
   * Route the bench job to the module's BullMQ transport on this Redis: the app's BullMQ worker then runs it through
   * the same pipeline. The queue keeps its concurrency but not its dispatch rate, as the `@nestjs/bullmq` peer has none.
   */
  bullmq?: { connection: { host: string; port: number }; prefix: string };
}

const TRACKER = Symbol('BenchTracker');
const tracker = new JobTracker();
/** The module's default memory store, as the example app gets it (default bounds). */
const memoryStore = new MemoryIdempotencyStore();

@JobHandler(BENCH_JOB, { payload: BenchPayloadDto })
class BenchProcessor implements JobProcessor<BenchPayloadDto> {
  constructor(@Inject(TRACKER) private readonly jobs: JobTracker) {}

  process(data: BenchPayloadDto, job: JobContext): null {
    if (this.jobs.attempt(data.runId, data.seq, job.attempt)) throw new RetryableError(`injected transient failure (seq ${data.seq})`);
    this.jobs.done(data.runId, job.idempotencyKey);
    return null;
  }
}

/** A guard that lets everything through, async like the module's. */
@Injectable()
class PassGuard implements CanActivate {
  async canActivate(): Promise<boolean> {
    return true;
  }
}

/** A second one: the chain has two guards. */
@Injectable()
class PassGuardToo implements CanActivate {
  async canActivate(): Promise<boolean> {
    return true;
  }
}

/** An interceptor that awaits the handler and hands its result back, with the chain's RxJS glue (from, lastValueFrom). */
@Injectable()
class PassInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler<unknown>): Observable<unknown> {
    return from(lastValueFrom(next.handle()));
  }
}

/**
 * The shape of the job endpoint without its work: the bare route behind two pass-through guards and a pass-through
 * interceptor. Its cost over the bare route is what Nest charges for the guard + interceptor shape the job endpoint
 * keeps; the chain's cost over it is the module's own work.
 */
@Controller('bench')
class ShapeController {
  @Post('shape')
  @HttpCode(200)
  @UseGuards(PassGuard, PassGuardToo)
  @UseInterceptors(PassInterceptor)
  shape(@Body() _body: unknown): { success: true; result: null } {
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
          queues: { [BENCH_JOB]: boot.bullmq ? bullmqBenchQueue(boot.concurrency) : benchQueue(boot.concurrency) },
          emulatorHost: '127.0.0.1:1',
          auth: { mode: 'verify-signature', audience: BENCH_AUDIENCE, certsUrl: boot.certsUrl },
          idempotency: boot.upstash ? { upstash: boot.upstash } : { store: memoryStore },
          ...(boot.bullmq ? { transport: { default: 'bullmq' as const, bullmq: { connection: boot.bullmq.connection, prefix: boot.bullmq.prefix } } } : {}),
        }),
      ],
      controllers: [BareController, ShapeController],
      providers: [BenchProcessor, PassGuard, PassGuardToo, PassInterceptor, { provide: TRACKER, useValue: tracker }],
    };
  }
}

let app: INestApplication | undefined;
const rss = new RssWatch();
let inspector: Session | undefined;

function loggerOf(boot: AppWorkerBoot): LoggerService | ('error' | 'warn')[] {
  return boot.log === 'quiet' ? ['error', 'warn'] : new ConsoleLogger({ json: true, flattenParams: true, compact: true, breakLength: Infinity });
}

async function createApp(boot: AppWorkerBoot): Promise<INestApplication> {
  const module = BenchAppModule.forRoot(boot);
  const logger = loggerOf(boot);
  if ((boot.adapter ?? 'express') === 'express') return NestFactory.create(module, { logger });
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  return NestFactory.create(module, new FastifyAdapter(), { logger });
}

serveBenchWorker(
  {
    boot: async (boot: AppWorkerBoot): Promise<{ url: string }> => {
      app = await createApp(boot);
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}` };
    },
    /** Starts counting the jobs of `runId`; pushes `completed` once `expected` distinct jobs have succeeded. */
    track: ({ runId, ...options }: { runId: string } & TrackOptions) => {
      tracker.track(runId, options, (report) => emit('completed', report));
    },
    report: ({ runId }: { runId: string }): TrackerReport => tracker.report(runId),
    /** Records the memory idempotency store holds, and how many it dropped to stay within its bounds. */
    storeSize: () => memoryStore.size,
    /** Resolves once the BullMQ transport holds no job (finished jobs moved out of the active list). */
    bullmqDrained: async () => {
      const transports = app!.get(JobTransports);
      while (Object.values(await transports.bullmqBacklog()).some((n) => n > 0)) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    /** Starts sampling RSS (its peak is read with `rssPeak`); resolves the RSS now, in bytes. */
    rssWatch: ({ intervalMs }: { intervalMs?: number }) => rss.start(intervalMs),
    rssPeak: () => rss.stop(),
    /** Starts V8's sampling heap profiler, collected objects included: what is allocated, not only what is kept. */
    allocationsStart: async ({ intervalBytes }: { intervalBytes?: number }) => {
      inspector ??= new Session();
      inspector.connect();
      await inspector.post('HeapProfiler.enable');
      await inspector.post('HeapProfiler.startSampling', { samplingInterval: intervalBytes ?? 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    },
    /** Stops it and writes the profile (`.heapprofile`, readable by Chrome DevTools) to `path`. */
    allocationsStop: async ({ path }: { path: string }) => {
      const { profile } = await inspector!.post('HeapProfiler.stopSampling');
      writeFileSync(path, JSON.stringify(profile));
      inspector!.disconnect();
    },
  },
  async () => {
    await app?.close();
  },
);
