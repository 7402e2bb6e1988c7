import { Inject, Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsNotEmpty, IsString } from 'class-validator';
import { CloudTasksModule, JobHandler, type CloudTasksModuleOptions, type JobContext, type JobProcessor, type QueueConfig } from '../../../libs/cloud-tasks/src/index.js';
import { createHttpApp, initHttpApp, type HttpAdapterName } from '../../../libs/cloud-tasks/src/testing/http-adapters.js';
import { RecordingLogger } from '../../../libs/cloud-tasks/src/testing/index.js';

export const PROJECT = 'schedules-project';
export const LOCATION = 'europe-west1';
export const PARENT = `projects/${PROJECT}/locations/${LOCATION}`;
export const SERVICE_ACCOUNT = 'jobs@schedules-project.iam.gserviceaccount.com';
export const jobPath = (id: string) => `${PARENT}/jobs/${id}`;

/** What a processor saw of one run. */
export interface Run {
  jobName: string;
  data: unknown;
  taskName: string;
  idempotencyKey: string;
  schedule?: { id: string; scheduleTime: string };
}

const RUNS = Symbol('runs');

export class DigestPayload {
  @IsString() @IsNotEmpty() edition!: string;
}

@JobHandler('digest', { payload: DigestPayload })
class DigestProcessor implements JobProcessor<DigestPayload> {
  constructor(@Inject(RUNS) private readonly runs: Run[]) {}
  process(data: DigestPayload, job: JobContext) {
    this.runs.push(runOf(job, { ...data }));
    return { edition: data.edition };
  }
}

@JobHandler('ping')
class PingProcessor implements JobProcessor {
  constructor(@Inject(RUNS) private readonly runs: Run[]) {}
  process(data: unknown, job: JobContext) {
    this.runs.push(runOf(job, data));
    return 'pong';
  }
}

function runOf(job: JobContext, data: unknown): Run {
  const schedule = job.schedule ? { id: job.schedule.id, scheduleTime: job.schedule.scheduleTime.toISOString() } : undefined;
  return { jobName: job.jobName, data, taskName: job.taskName, idempotencyKey: job.idempotencyKey, schedule };
}

const queue = (name: string): QueueConfig => ({ name, retryConfig: { maxAttempts: 3, minBackoff: '10s', maxBackoff: '60s', maxDoublings: 1 }, dispatchDeadline: 1800 });

export const QUEUES: Record<string, QueueConfig> = { digest: queue('digest-queue'), ping: queue('ping-queue') };

@Injectable()
class NoDeps {}

export interface ScheduleApp {
  app: INestApplication;
  runs: Run[];
  logger: RecordingLogger;
  close(): Promise<void>;
}

/**
 * An app with the `digest` (payload-checked) and `ping` jobs and the given schedules, on `emulator` with real tokens
 * (verify-signature against its /certs). `serviceUrl` is where tasks and fires are sent (the app itself, or a proxy).
 * Without `port` it is only initialised (provisioning tests), else it listens there.
 */
export async function bootScheduleApp(setup: {
  emulator: { grpcAddress: string; certsUrl: string };
  serviceUrl: string;
  schedules: CloudTasksModuleOptions['schedules'];
  adapter?: HttpAdapterName;
  port?: number;
  processors?: boolean;
  options?: Partial<CloudTasksModuleOptions>;
  /** Runs after the app is built and before it initialises (e.g. start the emulator, so its clock starts last). */
  beforeInit?: () => Promise<void>;
}): Promise<ScheduleApp> {
  const runs: Run[] = [];
  const logger = new RecordingLogger();
  @Module({
    imports: [
      CloudTasksModule.forRoot({
        projectId: PROJECT,
        location: LOCATION,
        serviceUrl: setup.serviceUrl,
        serviceAccountEmail: SERVICE_ACCOUNT,
        queues: QUEUES,
        schedules: setup.schedules,
        emulatorHost: setup.emulator.grpcAddress,
        auth: { mode: 'verify-signature', certsUrl: setup.emulator.certsUrl },
        // NOTE: on a fast emulator clock a claim lease of 15 s would be milliseconds of real time.
        idempotency: { leaseSeconds: 300 },
        ...setup.options,
      }),
    ],
    providers: [{ provide: RUNS, useValue: runs }, ...(setup.processors === false ? [NoDeps] : [DigestProcessor, PingProcessor])],
  })
  class ScheduleTestModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ScheduleTestModule] }).setLogger(logger).compile();
  const app = await createHttpApp(moduleRef, setup.adapter ?? 'express', { logger });
  await setup.beforeInit?.();
  if (setup.port === undefined) await initHttpApp(app);
  else await app.listen(setup.port, '127.0.0.1');
  return { app, runs, logger, close: () => app.close() };
}
