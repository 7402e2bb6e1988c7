import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import {
  CLOUD_TASKS_CLIENT,
  CloudTasksModule,
  JobHandler,
  MemoryDeadLetterStore,
  MemoryIdempotencyStore,
  type AuthOptions,
  type CloudTasksModuleOptions,
  type DeadLetterListOptions,
  type DeadLetterRecord,
  type DoneRecord,
  type JobContext,
  type JobProcessor,
} from '../../libs/cloud-tasks/src/index.js';
import type { DeadLetterStore } from '../../libs/cloud-tasks/src/dead-letter/dead-letter-store.interface.js';
import type { IdempotencyStore } from '../../libs/cloud-tasks/src/idempotency/idempotency-store.interface.js';
import { FakeCloudTasksClient } from '../../libs/cloud-tasks/src/testing/fake-cloud-tasks-client.js';
import { createHttpApp, type HttpAdapterName } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { SERVICE_URL, TASKS_SA } from './oidc-fixture.js';

// ---------------------------------------------------------------------------------------------------------------
// Processors
// ---------------------------------------------------------------------------------------------------------------

export class PingPayload {
  @IsString() @MaxLength(64) userId!: string;
}

/** Records every call; the suites assert it is never reached by a refused request. */
@JobHandler('ping', { payload: PingPayload })
export class PingProcessor implements JobProcessor<PingPayload> {
  readonly calls: Array<{ data: PingPayload; job: JobContext }> = [];
  async process(data: PingPayload, job: JobContext) {
    this.calls.push({ data, job });
    return { pong: data.userId };
  }
}

export class SyncAddress {
  @IsString() @MaxLength(100) street!: string;
  @IsInt() @Min(0) @Max(99_999) zip!: number;
}

/** A payload class with one field of each common kind, so each can be given the wrong type. */
export class SyncPayload {
  @IsString() @MaxLength(64) userId!: string;
  @IsInt() @Min(0) @Max(1000) count!: number;
  @IsBoolean() dryRun!: boolean;
  @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(32, { each: true }) tags!: string[];
  @IsObject() @ValidateNested() @Type(() => SyncAddress) address!: SyncAddress;
  @IsIn(['full', 'delta']) mode!: string;
  @IsOptional() @IsISO8601() since?: string;
}

export const validSyncData = (): Record<string, unknown> => ({
  userId: 'user-1',
  count: 3,
  dryRun: false,
  tags: ['a', 'b'],
  address: { street: '1 Main St', zip: 12345 },
  mode: 'delta',
});

@JobHandler('sync', { payload: SyncPayload })
export class SyncProcessor implements JobProcessor<SyncPayload> {
  readonly calls: Array<{ data: SyncPayload; job: JobContext }> = [];
  async process(data: SyncPayload, job: JobContext) {
    this.calls.push({ data, job });
    return { synced: data.userId };
  }
}

export const QUEUES = {
  ping: { name: 'ping-queue', retryConfig: { maxAttempts: 3, minBackoff: '1s', maxBackoff: '10s', maxDoublings: 2 } },
  sync: { name: 'sync-queue', retryConfig: { maxAttempts: 3, minBackoff: '1s', maxBackoff: '10s', maxDoublings: 2 } },
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Spy stores and a capturing logger
// ---------------------------------------------------------------------------------------------------------------

export interface StoreCall {
  method: string;
  args: unknown[];
}

/** The memory store, with every call recorded. */
export class SpyIdempotencyStore implements IdempotencyStore {
  readonly calls: StoreCall[] = [];
  private readonly inner = new MemoryIdempotencyStore();
  claim(key: string, owner: string, leaseMs: number) {
    this.calls.push({ method: 'claim', args: [key, owner, leaseMs] });
    return this.inner.claim(key, owner, leaseMs);
  }
  renew(key: string, owner: string, leaseMs: number) {
    this.calls.push({ method: 'renew', args: [key, owner, leaseMs] });
    return this.inner.renew(key, owner, leaseMs);
  }
  complete(key: string, owner: string, record: DoneRecord, ttlSeconds: number) {
    this.calls.push({ method: 'complete', args: [key, owner, record, ttlSeconds] });
    return this.inner.complete(key, owner, record, ttlSeconds);
  }
  markDeadLettered(key: string, deadLetterId: string) {
    this.calls.push({ method: 'markDeadLettered', args: [key, deadLetterId] });
    return this.inner.markDeadLettered(key, deadLetterId);
  }
  release(key: string, owner: string) {
    this.calls.push({ method: 'release', args: [key, owner] });
    return this.inner.release(key, owner);
  }
  get(key: string) {
    this.calls.push({ method: 'get', args: [key] });
    return this.inner.get(key);
  }
}

/** The memory dead-letter store, with every call recorded. */
export class SpyDeadLetterStore implements DeadLetterStore {
  readonly calls: StoreCall[] = [];
  private readonly inner = new MemoryDeadLetterStore();
  save(record: DeadLetterRecord) {
    this.calls.push({ method: 'save', args: [record] });
    return this.inner.save(record);
  }
  list(options: DeadLetterListOptions) {
    this.calls.push({ method: 'list', args: [options] });
    return this.inner.list(options);
  }
  get(id: string) {
    this.calls.push({ method: 'get', args: [id] });
    return this.inner.get(id);
  }
  update(record: DeadLetterRecord) {
    this.calls.push({ method: 'update', args: [record] });
    return this.inner.update(record);
  }
  delete(id: string) {
    this.calls.push({ method: 'delete', args: [id] });
    return this.inner.delete(id);
  }
}

export interface LogEntry {
  level: string;
  message: unknown;
  params: unknown[];
}

/** Keeps everything Nest's Logger is given (every `new Logger(…)` of the library delegates to it). */
export class CapturingLogger implements LoggerService {
  readonly entries: LogEntry[] = [];
  log(message: unknown, ...params: unknown[]) { this.entries.push({ level: 'log', message, params }); }
  error(message: unknown, ...params: unknown[]) { this.entries.push({ level: 'error', message, params }); }
  warn(message: unknown, ...params: unknown[]) { this.entries.push({ level: 'warn', message, params }); }
  debug(message: unknown, ...params: unknown[]) { this.entries.push({ level: 'debug', message, params }); }
  verbose(message: unknown, ...params: unknown[]) { this.entries.push({ level: 'verbose', message, params }); }
  fatal(message: unknown, ...params: unknown[]) { this.entries.push({ level: 'fatal', message, params }); }
  clear(): void { this.entries.length = 0; }
  /** Everything logged, serialised (what a log sink would store). */
  text(): string {
    return this.entries
      .map((e) => JSON.stringify([e.level, e.message, e.params], (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v)))
      .join('\n');
  }
  /** The guard's refusal lines. */
  refusals(): Array<{ msg: string; status: number; reason: string; [key: string]: unknown }> {
    return this.entries
      .filter((e) => e.message && typeof e.message === 'object' && (e.message as { msg?: unknown }).msg === 'job request refused')
      .map((e) => e.message as { msg: string; status: number; reason: string });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The app
// ---------------------------------------------------------------------------------------------------------------

export interface SecureApp {
  app: INestApplication;
  /** `http://127.0.0.1:PORT` of the listening app. */
  origin: string;
  port: number;
  ping: PingProcessor;
  sync: SyncProcessor;
  idempotency: SpyIdempotencyStore;
  deadLetters: SpyDeadLetterStore;
  logger: CapturingLogger;
  /** Total processor calls and store calls, to assert that nothing moved. */
  sideEffects(): { processorCalls: number; idempotencyCalls: number; deadLetterCalls: number };
  close(): Promise<void>;
}

/** Boots the whole chain (body reader, OIDC guard, request checks, idempotency, processors) on a real port. */
export async function bootSecureApp(setup: { auth: AuthOptions; adapter: HttpAdapterName; maxTaskBytes?: number; options?: Partial<CloudTasksModuleOptions>; client?: FakeCloudTasksClient }): Promise<SecureApp> {
  const logger = new CapturingLogger();
  const idempotency = new SpyIdempotencyStore();
  const deadLetters = new SpyDeadLetterStore();
  const moduleRef = await Test.createTestingModule({
    imports: [
      CloudTasksModule.forRoot({
        projectId: 'demo-project',
        location: 'us-central1',
        serviceUrl: SERVICE_URL,
        serviceAccountEmail: TASKS_SA,
        queues: { ...QUEUES },
        auth: setup.auth,
        idempotency: { store: idempotency },
        deadLetters: { store: deadLetters },
        ...(setup.maxTaskBytes ? { maxTaskBytes: setup.maxTaskBytes } : {}),
        ...setup.options,
      }),
    ],
    providers: [PingProcessor, SyncProcessor],
  })
    .overrideProvider(CLOUD_TASKS_CLIENT)
    .useValue(setup.client ?? new FakeCloudTasksClient())
    .setLogger(logger)
    .compile();
  const app = await createHttpApp(moduleRef, setup.adapter, { logger });
  app.useLogger(logger);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const ping = app.get(PingProcessor);
  const sync = app.get(SyncProcessor);
  return {
    app,
    origin: `http://127.0.0.1:${port}`,
    port,
    ping,
    sync,
    idempotency,
    deadLetters,
    logger,
    sideEffects: () => ({ processorCalls: ping.calls.length + sync.calls.length, idempotencyCalls: idempotency.calls.length, deadLetterCalls: deadLetters.calls.length }),
    close: () => app.close(),
  };
}

/** The envelope `JobQueueService` puts in a task, with a fresh idempotency key. */
export function envelope(jobName: string, data: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { jobName, data, idempotencyKey: randomUUID(), enqueuedAt: new Date().toISOString(), ...extra };
}

/** Cloud Tasks' headers for a job (queue name from the config). */
export function taskHeaders(jobName: keyof typeof QUEUES, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'X-CloudTasks-QueueName': QUEUES[jobName].name,
    'X-CloudTasks-TaskName': `task-${randomUUID()}`,
    'X-CloudTasks-TaskRetryCount': '0',
    'X-CloudTasks-TaskExecutionCount': '0',
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------------------

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: Record<string, unknown> | undefined;
}

export interface SendOptions {
  method?: string;
  /** Headers as given; a `null` value is not sent. No header is added except Host (and Content-Length, see below). */
  headers?: Record<string, string | null>;
  /** Sent as is. Strings are UTF-8. */
  body?: Buffer | string;
  /** Send the body in chunks of this size with chunked transfer encoding (no Content-Length). */
  chunkSize?: number;
}

/**
 * One request over a fresh connection (no keep-alive), with full control of the headers and body bytes.
 * Stops writing a streamed body as soon as the answer arrives (the server may refuse it early).
 */
export function send(origin: string, path: string, options: SendOptions = {}): Promise<HttpAnswer> {
  const url = new URL(path, origin);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== null) headers[name] = value;
  const body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  if (body && !options.chunkSize) headers['Content-Length'] = String(body.length);
  return new Promise<HttpAnswer>((resolve, reject) => {
    let answered = false;
    const req = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: options.method ?? 'POST', headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    // NOTE: a server that refuses an oversize body may close while we still write: that is fine once answered.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (!body) return void req.end();
    if (!options.chunkSize) return void req.end(body);
    const size = options.chunkSize;
    let offset = 0;
    const pump = (): void => {
      if (answered || req.destroyed) return;
      if (offset >= body.length) return void req.end();
      const chunk = body.subarray(offset, offset + size);
      offset += chunk.length;
      req.write(chunk, () => setImmediate(pump));
    };
    pump();
  });
}

export interface RawAnswer {
  /** Status of the first response on the connection, or undefined when the server answered nothing. */
  status?: number;
  /** Everything the server sent before closing (or before the timeout). */
  text: string;
}

/**
 * Writes `bytes` as they are on a fresh TCP connection (to send what an HTTP client would refuse to: a lying
 * Content-Length, a request cut short), then reads until the server closes or `timeoutMs` passes.
 * With `halfClose`, our side of the connection is ended after writing.
 */
export function sendRaw(port: number, bytes: Buffer, options: { timeoutMs?: number; halfClose?: boolean; destroyAfterMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : undefined, text });
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 1000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(bytes, () => {
      if (options.halfClose) socket.end();
      if (options.destroyAfterMs !== undefined) setTimeout(() => socket.destroy(), options.destroyAfterMs);
    });
  });
}

/** An HTTP/1.1 request as bytes, headers exactly as given. */
export function rawHttp(path: string, headers: Record<string, string>, body: Buffer | string = ''): Buffer {
  const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}
