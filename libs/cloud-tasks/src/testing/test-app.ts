import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { DynamicModule, INestApplication, LoggerService, ModuleMetadata, Provider, Type } from '@nestjs/common';
import type { TestingModule, TestingModuleBuilder } from '@nestjs/testing';
import { CLOUD_TASKS_CLIENT } from '../cloud-tasks.tokens.js';
import type { CloudTasksModuleOptions } from '../interfaces/module-options.interface.js';
import type { QueueConfig, RetryConfig } from '../interfaces/queue-config.interface.js';
import { CLOUD_TASKS_LOCAL_MODE, type LocalMode } from '../options/local-mode.js';
import { FakeCloudTasksClient } from './fake-cloud-tasks-client.js';
import { createHttpApp, defaultHttpAdapter, type HttpAdapterName } from './http-adapters.js';

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
  /**
   * Options of a `CloudTasksModule.forRoot()` the helper imports (merged over {@link testOptions}). Leave it out with
   * `app` to test your own application module, which configures the module itself.
   */
  options?: Partial<CloudTasksModuleOptions>;
  /** Your application module: its real module graph is built, with the Cloud Tasks client replaced. */
  app?: Type<unknown> | DynamicModule;
  providers?: Provider[];
  /**
   * The client behind `CLOUD_TASKS_CLIENT` (default: a new {@link FakeCloudTasksClient}). `'module'` keeps the module's
   * own client, e.g. to run the app against a Cloud Tasks emulator (`emulatorHost` / `CLOUD_TASKS_EMULATOR_HOST`).
   */
  client?: FakeCloudTasksClient | 'module';
  /**
   * Port the app listens on (default: any free one). An app run against an emulator needs its `serviceUrl` before it
   * boots: take a port with {@link freePort}, put `http://127.0.0.1:PORT` in the options, and pass the port here.
   */
  port?: number;
  logger?: LoggerService;
  /** HTTP adapter of the app (default `express`, or `fastify` when only `@nestjs/platform-fastify` is installed). */
  adapter?: HttpAdapterName;
  /**
   * Run in the testing module's local mode (default true). False leaves local mode to the options, as in an app: then
   * `auth.mode: 'none'` and memory stores need an emulator host.
   */
  testMode?: boolean;
  /** More overrides on the testing module before it compiles. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/** What {@link compileTestModule} resolves with. */
export interface CompiledTestModule<C extends FakeCloudTasksClient | undefined = FakeCloudTasksClient> {
  moduleRef: TestingModule;
  client: C;
  logger: LoggerService;
}

/** An answer of the job endpoint, as a test reads it. */
export interface DeliveryResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The body parsed as JSON (`{}` when empty or not JSON). */
  body: Record<string, unknown>;
  text: string;
}

/** The app under test; `C` is the fake client, or `undefined` with `client: 'module'`. */
export interface TestApp<C extends FakeCloudTasksClient | undefined = FakeCloudTasksClient> {
  app: INestApplication;
  moduleRef: TestingModule;
  client: C;
  logger: LoggerService;
  /** `http://127.0.0.1:PORT` the app listens on. */
  url: string;
  /** POSTs a delivery to `/api/jobs/{jobName}` the way Cloud Tasks does (see {@link deliver}). */
  deliver(jobName: string, body: unknown, headers?: Record<string, string | null>): Promise<DeliveryResponse>;
  close(): Promise<void>;
}

/**
 * Compiles a testing module with the fake client behind `CLOUD_TASKS_CLIENT`; rejects like `compile()` does. Loads
 * Nest's testing package and the module only when called, so importing this entry point costs nothing.
 */
export async function compileTestModule(setup: TestAppSetup & { client: 'module' }): Promise<CompiledTestModule<undefined>>;
export async function compileTestModule(setup?: TestAppSetup): Promise<CompiledTestModule>;
export async function compileTestModule(setup: TestAppSetup = {}): Promise<CompiledTestModule<FakeCloudTasksClient | undefined>> {
  // NOTE: one import after the other: loaders (Jest's ESM one among them) may trip over two imports sharing a graph.
  const { Test } = await import('@nestjs/testing');
  const { CloudTasksModule } = await import('../cloud-tasks.module.js');
  const client = setup.client === 'module' ? undefined : (setup.client ?? new FakeCloudTasksClient());
  const logger = setup.logger ?? new RecordingLogger();
  const root = setup.app ?? CloudTasksModule.forRoot(testOptions(setup.options));
  let builder = Test.createTestingModule({ imports: [root, ...(setup.imports ?? [])], providers: setup.providers ?? [] });
  if (client) builder = builder.overrideProvider(CLOUD_TASKS_CLIENT).useValue(client);
  if (setup.testMode !== false) builder = builder.overrideProvider(CLOUD_TASKS_LOCAL_MODE).useValue(TEST_LOCAL_MODE);
  if (setup.override) builder = setup.override(builder);
  const moduleRef = await builder.setLogger(logger).compile();
  return { moduleRef, client, logger };
}

/** Boots a whole app (HTTP included, on a free port of 127.0.0.1 unless `port`) around the module. */
export async function createTestApp(setup: TestAppSetup & { client: 'module' }): Promise<TestApp<undefined>>;
export async function createTestApp(setup?: TestAppSetup): Promise<TestApp>;
export async function createTestApp(setup: TestAppSetup = {}): Promise<TestApp<FakeCloudTasksClient | undefined>> {
  const { moduleRef, client, logger } = await compileTestModule(setup);
  const app = await createHttpApp(moduleRef, setup.adapter ?? defaultHttpAdapter(), { logger });
  await app.listen(setup.port ?? 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const queues = setup.app ? {} : testOptions(setup.options).queues;
  return {
    app,
    moduleRef,
    client,
    logger,
    url,
    deliver: (jobName, body, headers = {}) => deliver(url, jobName, body, { 'X-CloudTasks-QueueName': queues[jobName]?.name ?? null, ...headers }),
    close: () => app.close(),
  };
}

/**
 * POSTs `body` to the job endpoint of the app at `url`. Objects are sent as JSON, strings and Buffers as they are
 * (with `Content-Type: application/json`). A header given as `null` is not sent.
 */
export async function deliver(url: string, jobName: string, body: unknown, headers: Record<string, string | null> = {}): Promise<DeliveryResponse> {
  const sent: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(headers)) if (value !== null) sent[name.toLowerCase()] = value;
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const response = await fetch(`${url}/api/jobs/${jobName}`, { method: 'POST', headers: sent, body: payload });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = text ? JSON.parse(text) : {};
    if (value && typeof value === 'object') parsed = value as Record<string, unknown>;
  } catch {
    parsed = {};
  }
  return { status: response.status, headers: Object.fromEntries(response.headers), body: parsed, text };
}

/** The envelope `JobQueueService` would put in a task, with a fresh key unless given. */
export function envelope(jobName: string, data: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { jobName, data, idempotencyKey: randomUUID(), enqueuedAt: new Date().toISOString(), ...extra };
}

/** A TCP port of 127.0.0.1 that was free a moment ago (for an app whose own URL must be known before it listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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
