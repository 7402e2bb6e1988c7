import { EventEmitter } from 'node:events';
import { AttemptLog } from './attempts/attempt.log.js';
import { TaskEngine } from './core/task.engine.js';
import type { TaskRecord } from './core/task.record.js';
import { HttpDispatcher } from './dispatch/http.dispatcher.js';
import { DEFAULT_MAX_TASK_BYTES, DEFAULT_TOMBSTONE_TTL_MS } from './emulator.constants.js';
import type { CloudTasksEmulatorEvents, FinishedTask, TaskFinishedEvent, TaskOutcome } from './emulator.events.js';
import type { CloudTasksEmulatorOptions } from './emulator.options.js';
import type { EmulatorQueueSeed } from './queues/queue-definition.interface.js';
import { seededQueues } from './queues/queue-definition.js';
import { cloudTasksMethods } from './grpc/cloud-tasks.service.js';
import { cloudSchedulerMethods } from './grpc/cloud-scheduler.service.js';
import { loadCloudSchedulerProtos, loadCloudTasksProtos } from './grpc/proto.loader.js';
import { grpcHandlers } from './grpc/rpc.methods.js';
import { SchedulerEngine, type JobExecution } from './scheduler/scheduler.engine.js';
import { seededJobs, type EmulatorJobSeed } from './scheduler/job-seed.js';
import { ProtoJsonCodec } from './rest/proto-json.codec.js';
import { StateJournal } from './persistence/state.journal.js';
import { restRoutes } from './rest/rest.routes.js';
import { startEmulatorServers, type EmulatorServers } from './http/emulator.servers.js';
import { HttpPaths, createHttpHandler, resetRoute } from './http/http.handler.js';
import { OidcTokenIssuer, type JwtClaims, type SignTokenOptions } from './oidc/oidc-token.issuer.js';
import { defaultKeyFile, generateSigningKey, loadOrCreateSigningKey, type SigningKey } from './oidc/signing-key.store.js';
import { VirtualClock } from './time/virtual.clock.js';

const RECENTLY_FINISHED_LIMIT = 10_000;

/** Options of {@link CloudTasksEmulator.waitForTask} and {@link CloudTasksEmulator.waitForExecutions}. */
export interface WaitForTaskOptions {
  /** Reject after this many real ms. Default: wait indefinitely. */
  timeoutMs?: number;
}

const EXECUTIONS_KEPT_PER_JOB = 1_000;

/**
 * A running Cloud Tasks emulator: a `google.cloud.tasks.v2.CloudTasks` gRPC server, a dispatcher that POSTs tasks
 * to their URLs like Cloud Tasks does (headers, OIDC token, retries, rate limits), and an HTTP port serving the
 * token-signing certificates. Create it with {@link startEmulator}; stop it with {@link CloudTasksEmulator.close}.
 */
export class CloudTasksEmulator extends EventEmitter<CloudTasksEmulatorEvents> {
  /** `host:port` of the emulator, gRPC and HTTP/1.1 alike: the value of `CLOUD_TASKS_EMULATOR_HOST`. */
  readonly grpcAddress: string;
  /** `http://` + {@link grpcAddress}: the REST API, `/certs`, `/clock` and every other HTTP path on the shared port. */
  readonly url: string;
  /** Base URL of the HTTP side: the extra HTTP port when one was asked for (`httpPort`), else {@link url}. */
  readonly httpUrl: string;
  /** URL of the signing certificates in Google's v1 PEM format (`OAuth2Client`'s `oauth2FederatedSignonPemCertsUrl`). */
  readonly certsUrl: string;
  /** URL of the signing keys as a JWK set (Google's v3 format). */
  readonly jwksUrl: string;
  /** Every dispatch attempt. */
  readonly attempts: AttemptLog;
  /** The emulator's clock (virtual time = real time × timeScale since start). */
  readonly clock: VirtualClock;
  /** The file holding the signing key, or `undefined` when the key lives in memory only. */
  readonly keyFile: string | undefined;
  private readonly recentlyFinished = new Map<string, TaskFinishedEvent>();
  private readonly executions = new Map<string, JobExecution[]>();
  private idleWaiters: (() => void)[] = [];
  private readonly closers: (() => void)[] = [];
  private readonly journal: StateJournal | undefined;
  private closed = false;

  private constructor(
    private readonly engine: TaskEngine,
    private readonly scheduler: SchedulerEngine,
    private readonly issuer: OidcTokenIssuer,
    private readonly servers: EmulatorServers,
    private readonly dispatcher: HttpDispatcher,
    parts: { host: string; attempts: AttemptLog; clock: VirtualClock; keyFile: string | undefined; journal?: StateJournal },
  ) {
    super();
    this.grpcAddress = hostPort(parts.host, servers.port);
    this.url = `http://${this.grpcAddress}`;
    this.httpUrl = servers.httpPort === undefined ? this.url : `http://${hostPort(parts.host, servers.httpPort)}`;
    this.certsUrl = `${this.httpUrl}${HttpPaths.certs}`;
    this.jwksUrl = `${this.httpUrl}${HttpPaths.jwks}`;
    this.attempts = parts.attempts;
    this.clock = parts.clock;
    this.keyFile = parts.keyFile;
    this.journal = parts.journal;
  }

  /** @internal Use {@link startEmulator}. */
  static async start(options: CloudTasksEmulatorOptions = {}): Promise<CloudTasksEmulator> {
    const host = options.host ?? '127.0.0.1';
    const { key, keyFile } = await signingKey(options);
    const persisted = options.dataDir ? StateJournal.open(options.dataDir) : undefined;
    for (const warning of persisted?.loaded.warnings ?? []) process.emitWarning(`cloud-tasks-emulator data directory: ${warning}`);
    const journal = persisted?.journal;
    const issuer = await OidcTokenIssuer.create({ issuer: options.issuer, key });
    const tasksProtos = loadCloudTasksProtos();
    const schedulerProtos = loadCloudSchedulerProtos();
    // NOTE: the clock starts once the slow parts (key, protos) are done, so seeded jobs are armed at `clockStart`.
    // NOTE: a restart on a data directory resumes the clock where it was, never earlier, so schedules stay in order.
    const start = clockStart(options.clockStart);
    const resumeAt = persisted && persisted.loaded.image.clock > 0 ? Math.max(persisted.loaded.image.clock, start ?? (options.realTime ?? Date.now)()) : start;
    const clock = new VirtualClock(options.timeScale ?? 1, options.realTime, resumeAt);
    const attempts = new AttemptLog(options.attemptLogLimit);
    const dispatcher = new HttpDispatcher();
    let emulator: CloudTasksEmulator | undefined;
    const engine = new TaskEngine({
      clock,
      dispatcher,
      tokens: issuer,
      maxTaskBytes: options.maxTaskBytes ?? DEFAULT_MAX_TASK_BYTES,
      tombstoneTtlMs: options.tombstoneTtlMs ?? DEFAULT_TOMBSTONE_TTL_MS,
      queueTombstoneTtlMs: options.queueTombstoneTtlMs ?? 0,
      purgeFreesTaskNames: options.purgeFreesTaskNames,
      appEngineUrls: options.appEngineUrl,
      newTaskId: options.newTaskId,
      onAttempt: (record) => {
        attempts.add(record);
        emulator?.emit('attempt', record);
      },
      onFinished: (task, outcome) => emulator?.taskFinished(task, outcome),
      onIdle: () => emulator?.becameIdle(),
      state: journal,
    });
    const scheduler = new SchedulerEngine({
      clock,
      dispatcher,
      tokens: issuer,
      newJobId: options.newJobId,
      onAttempt: (record) => {
        attempts.add(record);
        emulator?.emit('fire', record);
      },
      onExecution: (execution) => emulator?.executionFinished(execution),
      state: journal,
    });
    try {
      if (persisted) {
        journal!.bind(clock, () => ({ clock: 0, ...engine.exportState(), jobs: scheduler.exportJobs() }));
        engine.restore(persisted.loaded.image);
        scheduler.restore(persisted.loaded.image.jobs);
      }
      for (const seed of [options.queues ?? []].flat()) seedQueues(engine, seed);
      const services = [
        { protos: tasksProtos, methods: cloudTasksMethods(engine) },
        { protos: schedulerProtos, methods: cloudSchedulerMethods(scheduler) },
      ];
      for (const seed of [options.jobs ?? []].flat()) seedJobs(scheduler, seed, new ProtoJsonCodec(schedulerProtos.definition));
      journal?.compact();
      const servers = await startEmulatorServers({
        host,
        port: options.port ?? 0,
        httpPort: options.httpPort,
        services: services.map(({ protos, methods }) => ({ service: protos.service, handlers: grpcHandlers(methods) })),
        http: createHttpHandler({
          issuer,
          attempts,
          clock,
          routes: [restRoutes(services), resetRoute((reset) => emulator?.reset(reset))],
        }),
      });
      emulator = new CloudTasksEmulator(engine, scheduler, issuer, servers, dispatcher, { host, attempts, clock, keyFile, journal });
      return emulator;
    } catch (error) {
      engine.close();
      scheduler.close();
      journal?.close();
      dispatcher.close();
      throw error;
    }
  }

  /** The time scale the emulator runs at. */
  get timeScale(): number {
    return this.clock.timeScale;
  }

  /** The `kid` of the signing key. */
  get keyId(): string {
    return this.issuer.kid;
  }

  /** Signs arbitrary claims with the emulator's key (RS256, its `kid`); `iat`/`exp` are filled unless present. */
  signToken(claims: JwtClaims, options?: SignTokenOptions): string {
    return this.issuer.signToken(claims, options);
  }

  /** The OIDC token a task with `oidc_token { service_account_email, audience }` is dispatched with. */
  idToken(serviceAccountEmail: string, audience: string): string {
    return this.issuer.idToken(serviceAccountEmail, audience);
  }

  /**
   * Back to a clean slate without a restart (between tests): every task deleted (`waitForTask` callers get
   * `'deleted'`), every task and queue name free again, the attempt log emptied, IAM policies dropped, the queues
   * deleted too unless `keepQueues`, and the scheduler jobs unless `keepJobs`. The clock, the signing key and the ports
   * stay. Also `POST /reset` (`?keepQueues=true`, `?keepJobs=true`).
   */
  reset({ keepQueues = false, keepJobs = false }: { keepQueues?: boolean; keepJobs?: boolean } = {}): void {
    this.journal?.reset(keepQueues, keepJobs);
    this.engine.reset({ keepQueues });
    if (!keepJobs) this.scheduler.reset();
    this.recentlyFinished.clear();
    this.executions.clear();
    this.attempts.clear();
  }

  /**
   * Resolves with the first `count` finished executions of a scheduler job (full name or short id) since it was
   * created or the emulator reset: each tick or RunJob with its retries, `outcome` `'succeeded'` or `'failed'`. At
   * once if they already happened.
   */
  waitForExecutions(job: string, count: number, { timeoutMs }: WaitForTaskOptions = {}): Promise<JobExecution[]> {
    const firstOnes = () => {
      const executions = this.executionsOf(job);
      return executions.length >= count ? executions.slice(0, count) : undefined;
    };
    const ready = firstOnes();
    if (ready) return Promise.resolve(ready);
    return this.waitFor('execution-finished', firstOnes, `${count} executions of job ${job}`, timeoutMs);
  }

  /** The finished executions of a scheduler job (full name or short id), oldest first. */
  executionsOf(job: string): JobExecution[] {
    if (job.includes('/')) return this.executions.get(job)?.slice() ?? [];
    return [...this.executions.values()].flat().filter((e) => e.jobId === job);
  }

  /** Resolves when no task is scheduled, waiting or running and no request is in flight (a paused queue holding tasks never is). */
  idle(): Promise<void> {
    if (this.engine.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when the task (full name or short id) succeeds, runs out of retries or is deleted; at once if it already did. */
  waitForTask(nameOrId: string, { timeoutMs }: WaitForTaskOptions = {}): Promise<TaskFinishedEvent> {
    const fullName = nameOrId.includes('/');
    const matches = (e: TaskFinishedEvent) => (fullName ? e.task.name === nameOrId : e.task.id === nameOrId);
    // NOTE: a name can be reused once its tombstone expires: a live task of that name is the one to wait for.
    if (!fullName || !this.engine.holds(nameOrId)) {
      for (const event of this.recentlyFinished.values()) if (matches(event)) return Promise.resolve(event);
    }
    return this.waitFor('task-finished', (event) => (matches(event) ? event : undefined), `task ${nameOrId}`, timeoutMs);
  }

  /**
   * Stops the servers (open connections are cut), aborts in-flight dispatches and timers, and closes the keep-alive
   * agents. The port is free when this resolves: an emulator can be started again on it at once (same `keyFile`,
   * same signing key).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const close of [...this.closers]) close();
    this.engine.close();
    this.scheduler.close();
    this.dispatcher.close();
    this.journal?.close();
    await this.servers.close();
    this.removeAllListeners();
  }

  private taskFinished(task: TaskRecord, outcome: TaskOutcome): void {
    const event: TaskFinishedEvent = { task: snapshot(task), outcome };
    this.recentlyFinished.delete(task.name);
    this.recentlyFinished.set(task.name, event);
    if (this.recentlyFinished.size > RECENTLY_FINISHED_LIMIT) {
      this.recentlyFinished.delete(this.recentlyFinished.keys().next().value!);
    }
    this.emit('task-finished', event);
  }

  private executionFinished(execution: JobExecution): void {
    let list = this.executions.get(execution.jobName);
    if (!list) this.executions.set(execution.jobName, (list = []));
    list.push(execution);
    if (list.length > EXECUTIONS_KEPT_PER_JOB) list.shift();
    this.emit('execution-finished', execution);
  }

  /** Resolves with the first value `accept` returns for an `event`; rejects when the emulator closes or after `timeoutMs`. */
  private waitFor<K extends 'task-finished' | 'execution-finished', T>(
    event: K,
    accept: (...args: CloudTasksEmulatorEvents[K]) => T | undefined,
    what: string,
    timeoutMs?: number,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        this.off(event, listener as never);
        if (timer) clearTimeout(timer);
        this.closers.splice(this.closers.indexOf(onClose) >>> 0, 1);
      };
      const listener = (...args: CloudTasksEmulatorEvents[K]) => {
        const value = accept(...args);
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const onClose = () => {
        cleanup();
        reject(new Error(`Emulator closed while waiting for ${what}.`));
      };
      this.on(event, listener as never);
      this.closers.push(onClose);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`));
        }, timeoutMs);
      }
    });
  }

  private becameIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
    this.emit('idle');
  }
}

/** Starts an emulator (gRPC and HTTP on one port, plus the optional extra HTTP port) and resolves once it listens. */
export function startEmulator(options: CloudTasksEmulatorOptions = {}): Promise<CloudTasksEmulator> {
  return CloudTasksEmulator.start(options);
}

function seedQueues(engine: TaskEngine, seed: EmulatorQueueSeed): void {
  for (const { label, name, queue } of seededQueues(seed)) {
    try {
      engine.updateQueue(queue);
    } catch (error) {
      throw new Error(`Queue definition ${label} (queue ${name}) was refused: ${(error as Error).message}`);
    }
  }
}

/** Creates the seed's jobs, or updates them when they exist (a restart on a data directory). */
function seedJobs(scheduler: SchedulerEngine, seed: EmulatorJobSeed, codec: ProtoJsonCodec): void {
  for (const { label, parent, job } of seededJobs(seed, codec)) {
    try {
      if (scheduler.hasJob(job.name!)) scheduler.updateJob(job);
      else scheduler.createJob(parent, job);
    } catch (error) {
      throw new Error(`Job definition ${label} (job ${job.name}) was refused: ${(error as Error).message}`);
    }
  }
}

function snapshot(t: TaskRecord): FinishedTask {
  return {
    name: t.name,
    id: t.id,
    queue: t.queue.id,
    url: t.url,
    createTime: t.createTime,
    dispatchCount: t.dispatchCount,
    responseCount: t.responseCount,
    executionCount: t.executionCount,
    retryCount: t.retryCount,
    lastStatus: t.lastAttempt?.status,
  };
}

function clockStart(value: CloudTasksEmulatorOptions['clockStart']): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  if (!Number.isFinite(ms)) throw new Error(`Invalid clockStart ${String(value)}: expected a Date, epoch milliseconds or an ISO 8601 time.`);
  return ms;
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The key of `keyFile` (default: the shared file of {@link defaultKeyFile}), or a key in memory with `keyFile: false`. */
async function signingKey(options: CloudTasksEmulatorOptions): Promise<{ key: SigningKey; keyFile: string | undefined }> {
  if (options.keyFile === false) return { key: await generateSigningKey(), keyFile: undefined };
  if (options.keyFile !== undefined) return { key: await loadOrCreateSigningKey(options.keyFile), keyFile: options.keyFile };
  const file = defaultKeyFile(options.dataDir);
  try {
    return { key: await loadOrCreateSigningKey(file), keyFile: file };
  } catch (error) {
    if (options.dataDir) throw error;
    // NOTE: an unwritable home directory must not stop the emulator: the key then lives as long as the process.
    return { key: await generateSigningKey(), keyFile: undefined };
  }
}
