import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication, LoggerService, ModuleMetadata, Provider } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { CloudTasksModule } from '../cloud-tasks.module.js';
import { CLOUD_TASKS_CLIENT } from '../cloud-tasks.tokens.js';
import { CLOUD_TASKS_LOCAL_MODE, type LocalMode } from '../options/local-mode.js';
import type { CloudTasksModuleOptions } from '../interfaces/module-options.interface.js';
import type { QueueConfig, RetryConfig } from '../interfaces/queue-config.interface.js';
import { FakeCloudTasksClient } from './fake-cloud-tasks-client.js';
import { createHttpApp, initHttpApp, type HttpAdapterName } from './http-adapters.js';

/** The local mode of the testing module: `auth.mode: 'none'` and memory stores are accepted. */
export const TEST_LOCAL_MODE: LocalMode = { local: true, via: 'test' };

export const PROJECT = 'demo-project';
export const LOCATION = 'us-central1';
export const SERVICE_URL = 'https://jobs.example.test';
export const SERVICE_ACCOUNT = 'tasks@demo-project.iam.gserviceaccount.com';

/** A queue config with a small retry policy; override what a test needs. */
export function queueConfig(name: string, retry: Partial<RetryConfig> = {}, extra: Partial<QueueConfig> = {}): QueueConfig {
  return { name, retryConfig: { maxAttempts: 3, minBackoff: '1s', maxBackoff: '10s', maxDoublings: 2, ...retry }, ...extra };
}

/** Valid module options (auth mode `none`, one `ping` job) with overrides. */
export function testOptions(overrides: Partial<CloudTasksModuleOptions> = {}): CloudTasksModuleOptions {
  return {
    projectId: PROJECT,
    location: LOCATION,
    serviceUrl: SERVICE_URL,
    serviceAccountEmail: SERVICE_ACCOUNT,
    queues: { ping: queueConfig('ping-queue') },
    auth: { mode: 'none' },
    ...overrides,
  };
}

/** A logger that keeps what it is given, for assertions (and keeps the test output quiet). */
export class RecordingLogger implements LoggerService {
  readonly entries: Array<{ level: string; message: unknown; context?: unknown }> = [];
  log(message: unknown, context?: unknown) { this.entries.push({ level: 'log', message, context }); }
  error(message: unknown, context?: unknown) { this.entries.push({ level: 'error', message, context }); }
  warn(message: unknown, context?: unknown) { this.entries.push({ level: 'warn', message, context }); }
  debug(message: unknown, context?: unknown) { this.entries.push({ level: 'debug', message, context }); }
  verbose(message: unknown, context?: unknown) { this.entries.push({ level: 'verbose', message, context }); }
  messages(level: string): unknown[] {
    return this.entries.filter((e) => e.level === level).map((e) => e.message);
  }
}

export interface TestAppSetup extends Pick<ModuleMetadata, 'imports'> {
  options?: Partial<CloudTasksModuleOptions>;
  providers?: Provider[];
  client?: FakeCloudTasksClient;
  logger?: LoggerService;
  /** HTTP adapter of the app (default `express`). */
  adapter?: HttpAdapterName;
  /**
   * Run in the testing module's local mode (default true). False leaves local mode to the options, as in an app: then
   * `auth.mode: 'none'` and memory stores need an emulator host.
   */
  testMode?: boolean;
}

export interface TestApp {
  app: INestApplication;
  moduleRef: TestingModule;
  client: FakeCloudTasksClient;
  logger: LoggerService;
  /** POSTs a delivery to `/api/jobs/{jobName}` the way Cloud Tasks does (see {@link deliver}). */
  deliver(jobName: string, body: unknown, headers?: Record<string, string | null>): request.Test;
  close(): Promise<void>;
}

/** Compiles the module with the fake client behind `CLOUD_TASKS_CLIENT`; rejects like `compile()` does. */
export async function compileTestModule(setup: TestAppSetup = {}): Promise<{ moduleRef: TestingModule; client: FakeCloudTasksClient; logger: LoggerService }> {
  const client = setup.client ?? new FakeCloudTasksClient();
  const logger = setup.logger ?? new RecordingLogger();
  let builder = Test.createTestingModule({
    imports: [CloudTasksModule.forRoot(testOptions(setup.options)), ...(setup.imports ?? [])],
    providers: setup.providers ?? [],
  })
    .overrideProvider(CLOUD_TASKS_CLIENT)
    .useValue(client);
  if (setup.testMode !== false) builder = builder.overrideProvider(CLOUD_TASKS_LOCAL_MODE).useValue(TEST_LOCAL_MODE);
  const moduleRef = await builder.setLogger(logger).compile();
  return { moduleRef, client, logger };
}

/** Boots a whole app (HTTP included) around the module, ready for supertest. */
export async function createTestApp(setup: TestAppSetup = {}): Promise<TestApp> {
  const { moduleRef, client, logger } = await compileTestModule(setup);
  const app = await createHttpApp(moduleRef, setup.adapter ?? 'express', { logger });
  await initHttpApp(app);
  const queues = testOptions(setup.options).queues;
  return {
    app,
    moduleRef,
    client,
    logger,
    deliver: (jobName, body, headers = {}) => deliver(app, jobName, body, { 'X-CloudTasks-QueueName': queues[jobName]?.name ?? null, ...headers }),
    close: () => app.close(),
  };
}

/**
 * POSTs `body` to the job endpoint. Objects are sent as JSON, strings as they are (with `Content-Type:
 * application/json`). A header given as `null` is not sent.
 */
export function deliver(app: INestApplication, jobName: string, body: unknown, headers: Record<string, string | null> = {}): request.Test {
  let req = request(app.getHttpServer()).post(`/api/jobs/${jobName}`).set('Content-Type', 'application/json');
  for (const [name, value] of Object.entries(headers)) if (value !== null) req = req.set(name, value);
  return req.send(body as string | object);
}

/** The envelope `JobQueueService` would put in a task, with a fresh key unless given. */
export function envelope(jobName: string, data: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { jobName, data, idempotencyKey: randomUUID(), enqueuedAt: new Date().toISOString(), ...extra };
}

/** A promise with its resolve/reject exposed, to hold a processor until the test lets it go. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
