import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from '@upstash/redis';
import { startUpstashLocal, type UpstashLocal } from '../../../libs/upstash-local/src/index.js';
import { CloudTasksModule, JobHandler, type CloudTasksModuleOptions, type JobContext, type JobProcessor, type QueueConfig } from '../../../libs/cloud-tasks/src/index.js';
import { JobClaims } from '../../../libs/cloud-tasks/src/idempotency/job-claims.js';
import { RecordingLogger } from '../../../libs/cloud-tasks/src/testing/test-app.js';
import { createHttpApp, type HttpAdapterName } from '../../../libs/cloud-tasks/src/testing/http-adapters.js';
import { freePort } from '@nest-cloud-tasks/core/testing';

export const PROJECT = 'idem-project';
export const LOCATION = 'us-central1';
export const SERVICE_ACCOUNT = 'jobs@idem-project.iam.gserviceaccount.com';
/** The Redis key of a job's idempotency record: the store's prefix, the job name and the envelope's key. */
export function recordKeyOf(jobName: string, idempotencyKey: string): string {
  return `idempotency:${jobName}:${idempotencyKey}`;
}

/** What a controlled processor does on one call: return a value, throw, or wait on a promise the test holds. */
export type Behaviour = (data: unknown, job: JobContext) => unknown;

/**
 * A processor the test steers: counts runs per idempotency key, and runs `behaviour` (default: a few ms of "work",
 * then `{ key, run }`). `started` resolves each time a call begins, so a test can wait for the job to be in flight.
 */
export class ControlledProcessor implements JobProcessor {
  readonly runsByKey = new Map<string, number>();
  readonly calls: JobContext[] = [];
  behaviour: Behaviour = async (_data, job) => {
    await sleep(5);
    return { key: job.idempotencyKey, run: this.runs(job.idempotencyKey) };
  };
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  async process(data: unknown, job: JobContext): Promise<unknown> {
    this.runsByKey.set(job.idempotencyKey, this.runs(job.idempotencyKey) + 1);
    this.calls.push(job);
    this.waiters = this.waiters.filter((w) => (this.calls.length >= w.n ? (w.resolve(), false) : true));
    return this.behaviour(data, job);
  }

  runs(key: string): number {
    return this.runsByKey.get(key) ?? 0;
  }

  /** Resolves once `process()` has been entered `n` times in all (rejects after `timeoutMs`). */
  calledTimes(n: number, timeoutMs = 5_000): Promise<void> {
    if (this.calls.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`processor entered ${this.calls.length} times, expected ${n} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

/** A `@JobHandler(jobName)` subclass of {@link ControlledProcessor} (a distinct class per job name). */
export function controlledHandler(jobName: string): Type<ControlledProcessor> {
  class Handler extends ControlledProcessor {}
  Object.defineProperty(Handler, 'name', { value: `Controlled_${jobName.replace(/\W/g, '_')}` });
  JobHandler(jobName)(Handler);
  return Handler;
}

/** A queue config with small, fast retries (the emulator reads the same config). */
export function fastQueue(name: string, maxAttempts = 3): QueueConfig {
  return { name, retryConfig: { maxAttempts, minBackoff: '0.1s', maxBackoff: '1s', maxDoublings: 2 } };
}

/** upstash-local over the real Redis with a fresh token. */
export function startStore(options: { port?: number; redisUrl?: string } = {}): Promise<UpstashLocal> {
  return startUpstashLocal({ port: options.port ?? 0, token: `idem-e2e-${randomUUID()}`, ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}) });
}

/** A direct `@upstash/redis` client on a store, for inspecting records (its commands count in the server's stats). */
export function adminClient(store: { url: string; token: string }): Redis {
  return new Redis({ url: store.url, token: store.token, enableAutoPipelining: false });
}

export interface DeliveryAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export interface IdemApp {
  app: INestApplication;
  /** `http://127.0.0.1:PORT` the app listens on. */
  url: string;
  logger: RecordingLogger;
  processor<T extends ControlledProcessor>(type: Type<T>): T;
  /** The claim protocol the endpoint uses. */
  claims: JobClaims;
  /** POSTs a delivery over real HTTP the way Cloud Tasks would (auth mode none). */
  deliver(jobName: string, body: unknown, extra?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<DeliveryAnswer>;
  close(): Promise<void>;
}

export interface IdemAppSetup {
  /** The Upstash endpoint (upstash-local). */
  upstash: { url: string; token: string };
  /** Job name → queue config. */
  queues: Record<string, QueueConfig>;
  handlers: Type<JobProcessor>[];
  failMode?: 'open' | 'closed';
  /** The claim lease, in seconds (`idempotency.leaseSeconds`; the library's default is 15). */
  leaseSeconds?: number;
  /** Anything else (auth, emulatorHost…). `serviceUrl` defaults to the app's own URL. */
  options?: Partial<CloudTasksModuleOptions>;
  /** Listen on this port (default: a free one). */
  port?: number;
  /** HTTP adapter (default `express`). */
  adapter?: HttpAdapterName;
}

/** Boots CloudTasksModule.forRoot with Upstash idempotency + dead letters and the given processors, listening on HTTP. */
export async function bootApp(setup: IdemAppSetup): Promise<IdemApp> {
  const port = setup.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const logger = new RecordingLogger();
  const options: CloudTasksModuleOptions = {
    projectId: PROJECT,
    location: LOCATION,
    serviceUrl: url,
    serviceAccountEmail: SERVICE_ACCOUNT,
    queues: setup.queues,
    auth: { mode: 'none' },
    // NOTE: the emulator is not used unless a test sets emulatorHost; nothing is enqueued otherwise.
    emulatorHost: '127.0.0.1:1',
    ...setup.options,
    idempotency: {
      upstash: { url: setup.upstash.url, token: setup.upstash.token },
      ...(setup.failMode ? { failMode: setup.failMode } : {}),
      ...(setup.leaseSeconds !== undefined ? { leaseSeconds: setup.leaseSeconds } : {}),
    },
  };
  const moduleRef = await Test.createTestingModule({ imports: [CloudTasksModule.forRoot(options)], providers: setup.handlers })
    .setLogger(logger)
    .compile();
  const app = await createHttpApp(moduleRef, setup.adapter ?? 'express', { logger });
  await app.listen(port, '127.0.0.1');
  let closed: Promise<void> | undefined;
  return {
    app,
    url,
    logger,
    processor: (type) => app.get(type),
    claims: app.get(JobClaims),
    deliver: async (jobName, body, extra = {}) => {
      const queue = setup.queues[jobName]?.name ?? 'unknown';
      const res = await fetch(`${url}/api/jobs/${jobName}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cloudtasks-queuename': queue, ...extra.headers },
        body: JSON.stringify(body),
        signal: extra.signal,
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
    },
    close: () => (closed ??= app.close()),
  };
}

/** A job envelope with a fresh random idempotency key (records live in the shared Redis). */
export function newEnvelope(jobName: string, data: unknown = {}, key = `idem-e2e:${randomUUID()}`): { jobName: string; data: unknown; idempotencyKey: string; enqueuedAt: string } {
  return { jobName, data, idempotencyKey: key, enqueuedAt: new Date().toISOString() };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A promise with its resolve/reject exposed, to hold a processor until the test lets it go. */
export function gate<T = void>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
