import { Redis } from '@upstash/redis';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UpstashDeadLetterStore, type DeadLetterRecord, type QueueConfig } from '@nest-cloud-tasks/core';
import type { ProcessorBehaviour } from '../app/attempt-plan.js';
import type { ChaosAppConfig } from '../app/chaos-app.config.js';
import { AppInstance } from '../process/app-instance.js';
import { EmulatorCli } from '../process/emulator.cli.js';
import { UpstashLocalCli } from '../process/upstash-local.cli.js';
import { LoadBalancer } from '../proxy/load-balancer.proxy.js';
import { StoreFaultProxy } from '../proxy/store-fault.proxy.js';
import { strayEffects, tally, violations, type KillEvent, type RunTwicePolicy, type SentJob, type Tally } from './accounting.js';
import { effectsPrefix, type ChaosRedis } from './chaos-redis.js';
import { attemptSummary, EmulatorAdmin, type AttemptEntry } from './emulator-admin.js';
import { Producer, type EnqueueReport } from './producer.js';
import { seededRandom } from './random.js';
import { mapLimit, sleep, WaitTimeoutError } from './wait.js';

export const CHAOS_PROJECT = 'chaos-project';
export const CHAOS_LOCATION = 'us-central1';
export const CHAOS_SERVICE_ACCOUNT = 'chaos-tasks@chaos-project.iam.gserviceaccount.com';

/** What a scenario runs against. */
export interface StackSpec {
  /** Job name → queue config (the emulator and the apps get the same). */
  queues: Record<string, QueueConfig>;
  /** Job name → processor behaviour. */
  behaviours: Record<string, ProcessorBehaviour>;
  /** App instance names, e.g. `['a', 'b']`. */
  instances: string[];
  /** Instances that receive deliveries at the start (default: all). */
  initialPool?: string[];
  /** The emulator's time scale (backoffs, schedule times and dispatch deadlines run this much faster). */
  timeScale: number;
  failMode?: 'open' | 'closed';
  /** Probability that a store reply is dropped after the store applied the request. */
  dropReplies?: number;
  /** Keep every delivery so it can be replayed (replays, the end probe). */
  record?: boolean;
}

/** What the run gives each scenario. */
export interface RunContext {
  runId: string;
  seed: number;
  /** The run's log directory (one sub-directory per scenario). */
  dir: string;
  redis: ChaosRedis;
  log(message: string): void;
}

/** One row of the report: a group of jobs of one scenario. */
export interface ScenarioRow {
  scenario: string;
  /** What the row measures, in a few words. */
  label: string;
  tally?: Tally;
  violations: string[];
  wallMs: number;
  notes: string[];
  /** The harness could not finish the scenario (the row's figures are then incomplete). */
  error?: string;
}

/** Default store token: upstash-local requires one. */
const STORE_TOKEN = 'chaos-local-token';

/**
 * The processes and proxies of one scenario: upstash-local over the suite's Redis database, the store fault proxy in
 * front of it, the emulator CLI dispatching to the load balancer, the app instances behind it, and a producer.
 * Every fault a scenario injects goes through the methods here; `close()` stops everything it started.
 */
export class ChaosStack {
  readonly kills: KillEvent[] = [];
  readonly apps = new Map<string, AppInstance>();
  readonly prefix: string;
  readonly dir: string;
  emulator!: EmulatorCli;
  store!: UpstashLocalCli;
  storeProxy!: StoreFaultProxy;
  lb!: LoadBalancer;
  producer!: Producer;
  admin!: EmulatorAdmin;
  taskNames = new Map<number, string>();
  private readonly closers: Array<() => Promise<void>> = [];

  private constructor(
    readonly scenario: string,
    readonly spec: StackSpec,
    readonly ctx: RunContext,
  ) {
    this.prefix = effectsPrefix(ctx.runId, scenario);
    this.dir = join(ctx.dir, scenario);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Starts everything; if a part fails to start, what already runs is stopped. */
  static async start(scenario: string, spec: StackSpec, ctx: RunContext): Promise<ChaosStack> {
    const stack = new ChaosStack(scenario, spec, ctx);
    try {
      await stack.boot();
      return stack;
    } catch (error) {
      await stack.close();
      throw error;
    }
  }

  private async boot(): Promise<void> {
    const { spec, ctx } = this;
    this.store = new UpstashLocalCli({ redisUrl: ctx.redis.url, token: STORE_TOKEN, dir: this.dir });
    this.closers.push(() => this.store.stop());
    this.emulator = new EmulatorCli({ projectId: CHAOS_PROJECT, location: CHAOS_LOCATION, queues: spec.queues, timeScale: spec.timeScale, dir: this.dir });
    this.closers.push(() => this.emulator.stop());
    const [storeUrl, emulator] = await Promise.all([this.store.start(), this.emulator.start()]);
    this.storeProxy = await StoreFaultProxy.start({ upstream: storeUrl, dropReplies: spec.dropReplies ?? 0, random: seededRandom(ctx.seed) });
    this.closers.push(() => this.storeProxy.close());
    this.lb = await LoadBalancer.start({ record: spec.record });
    this.closers.push(() => this.lb.close());
    const queuePaths = [...new Set(Object.values(spec.queues).map((q) => q.name))].map((name) => `projects/${CHAOS_PROJECT}/locations/${CHAOS_LOCATION}/queues/${name}`);
    this.admin = new EmulatorAdmin(emulator.grpc, () => this.emulator.address!.http, queuePaths);
    this.closers.push(() => this.admin.close());
    const config: Omit<ChaosAppConfig, 'instance'> = {
      projectId: CHAOS_PROJECT,
      location: CHAOS_LOCATION,
      serviceAccountEmail: CHAOS_SERVICE_ACCOUNT,
      serviceUrl: this.lb.url,
      emulatorHost: emulator.grpc,
      certsUrl: this.emulator.certsUrl,
      upstash: { url: this.storeProxy.url, token: STORE_TOKEN },
      failMode: spec.failMode ?? 'open',
      queues: spec.queues,
      behaviours: spec.behaviours,
      redisUrl: ctx.redis.url,
      effectsPrefix: this.prefix,
      seed: ctx.seed,
    };
    const pool = new Set(spec.initialPool ?? spec.instances);
    await Promise.all(
      spec.instances.map(async (name) => {
        const app = new AppInstance(name, { ...config, instance: name }, this.dir);
        this.apps.set(name, app);
        // NOTE: nothing of an app is needed once the scenario is observed: kill it rather than wait for its keep-alive sockets.
        this.closers.push(async () => void (await app.crash()));
        const url = await app.start();
        this.lb.add(name, url);
        if (!pool.has(name)) this.lb.remove(name);
      }),
    );
    this.producer = await Producer.start({
      projectId: CHAOS_PROJECT,
      location: CHAOS_LOCATION,
      serviceAccountEmail: CHAOS_SERVICE_ACCOUNT,
      serviceUrl: this.lb.url,
      emulatorHost: emulator.grpc,
      queues: spec.queues,
    });
    this.closers.push(() => this.producer.close());
  }

  /** `count` jobs with keys derived from their seq; `jobNameOf` spreads them over job types. */
  jobs(count: number, jobNameOf: (seq: number) => string = () => Object.keys(this.spec.queues)[0], firstSeq = 0): SentJob[] {
    return Array.from({ length: count }, (_, i) => {
      const seq = firstSeq + i;
      return { seq, jobName: jobNameOf(seq), key: `chaos-${this.ctx.runId}-${this.scenario}-${seq}` };
    });
  }

  async enqueue(jobs: readonly SentJob[], options?: { concurrency?: number; giveUpAfterMs?: number }): Promise<EnqueueReport> {
    const report = await this.producer.enqueue(jobs, options);
    for (const [seq, name] of report.taskNames) this.taskNames.set(seq, name);
    return report;
  }

  app(name: string): AppInstance {
    const app = this.apps.get(name);
    if (!app) throw new Error(`No app instance "${name}" in scenario ${this.scenario}.`);
    return app;
  }

  /** `kill -9` of an instance, as Cloud Run losing it: no new deliveries first, then the kill; returns the deliveries it dropped. */
  async crashApp(name: string): Promise<number> {
    this.lb.remove(name);
    const inFlight = this.lb.inFlight(name);
    const pid = await this.app(name).crash();
    if (pid !== undefined) this.kills.push({ instance: name, pid, at: Date.now() });
    return inFlight;
  }

  /** A fresh process for the instance (new port), back in the pool once it is ready. */
  async restartApp(name: string): Promise<void> {
    const url = await this.app(name).start();
    this.lb.add(name, url);
  }

  startedJobs(): Promise<number> {
    return this.ctx.redis.startedJobs(this.prefix);
  }

  completedJobs(): Promise<number> {
    return this.ctx.redis.completedJobs(this.prefix);
  }

  /** Why the scenario is not over yet (empty when it is): tasks in the emulator, deliveries in flight, busy apps. */
  async busy(): Promise<string[]> {
    const reasons: string[] = [];
    if (!this.lb.idle) reasons.push(`${this.lb.inFlight()} deliveries in flight at the balancer`);
    for (const app of this.apps.values()) {
      if (!app.running) continue;
      const stats = await app.stats();
      if (!stats) reasons.push(`app ${app.name} does not answer`);
      else if (stats.inFlight > 0) reasons.push(`app ${app.name} has ${stats.inFlight} requests in flight`);
    }
    if (this.emulator.running) {
      try {
        if (await this.admin.holdsTasks()) reasons.push('the emulator still holds tasks');
      } catch (error) {
        reasons.push(`ListTasks failed: ${(error as Error).message}`);
      }
    } else {
      reasons.push('the emulator is down');
    }
    return reasons;
  }

  /** Waits until nothing is left to happen for `quietMs` in a row; rejects after `timeoutMs` with what was still busy. */
  async settle(timeoutMs: number, quietMs = 1_500): Promise<void> {
    const until = Date.now() + timeoutMs;
    let quietSince: number | undefined;
    for (;;) {
      const reasons = await this.busy();
      const now = Date.now();
      if (reasons.length === 0) {
        quietSince ??= now;
        if (now - quietSince >= quietMs) return;
      } else {
        quietSince = undefined;
      }
      if (now > until) throw new WaitTimeoutError(`scenario did not settle within ${Math.round(timeoutMs / 1000)} s: ${reasons.join('; ')}`);
      await sleep(250);
    }
  }

  /** Waits until the app instances are idle (the emulator may be down). */
  async appsIdle(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (let quiet = 0; quiet < 3; await sleep(250)) {
      let idle = this.lb.idle;
      for (const app of this.apps.values()) if (app.running && (await app.stats())?.inFlight !== 0) idle = false;
      quiet = idle ? quiet + 1 : 0;
      if (Date.now() > until) throw new WaitTimeoutError(`apps still busy after ${timeoutMs} ms`);
    }
  }

  /**
   * The end probe, once everything is idle: sends the last recorded delivery of every completed job once more (a late
   * duplicate). A job is unprotected when it ran again (no done record) or was answered 409 (a claim left behind
   * with nothing running: once it lapses, a duplicate runs the job again). Needs `record`.
   */
  async probe(jobs: readonly SentJob[], settleMs: number): Promise<{ unprotected: number; notes: string[] }> {
    const before = (await this.ctx.redis.effects(this.prefix)).effects;
    const completed = jobs.filter((job) => (before.get(job.seq) ?? 0) > 0 && this.lb.lastRequest(job.key));
    const statuses = await mapLimit(completed, 20, (job) => this.lb.replay(this.lb.lastRequest(job.key)!, 0, 20_000));
    await this.settle(settleMs);
    const after = (await this.ctx.redis.effects(this.prefix)).effects;
    let ranAgain = 0;
    let stillClaimed = 0;
    const unprotected: string[] = [];
    completed.forEach((job, i) => {
      if ((after.get(job.seq) ?? 0) > (before.get(job.seq) ?? 0)) ranAgain++;
      else if (statuses[i] === 409) stillClaimed++;
      else return;
      unprotected.push(job.key);
    });
    const answers = formatCounts(countBy(statuses.map(String))) || 'none';
    const notes = [`end probe: ${completed.length} completed jobs delivered once more, answers ${answers}; ran again ${ranAgain}, claim left behind ${stillClaimed}`];
    if (unprotected.length > 0) notes.push(`unprotected keys (first 5, see the app logs with --keep-logs): ${unprotected.slice(0, 5).join(', ')}`);
    return { unprotected: ranAgain + stillClaimed, notes };
  }

  /** Every dead letter in the store (read straight from upstash-local, not through the fault proxy). */
  async deadLetters(): Promise<DeadLetterRecord[]> {
    const store = new UpstashDeadLetterStore(new Redis({ url: this.store.url!, token: STORE_TOKEN, enableAutoPipelining: false }));
    const all: DeadLetterRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ limit: 1_000, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /** The rows of this scenario: one per group of jobs, each with its targets checked. */
  async observe(
    groups: Array<{ label: string; jobs: readonly SentJob[]; runTwice: RunTwicePolicy; notes?: string[]; unprotected?: number; id?: string; misses?: string[] }>,
    startedAt: number,
  ): Promise<ScenarioRow[]> {
    const wallMs = Date.now() - startedAt;
    const { effects, log } = await this.ctx.redis.effects(this.prefix);
    const allJobs = groups.flatMap((g) => g.jobs);
    const stray = strayEffects(effects, allJobs);
    if (stray > 0) throw new Error(`${stray} effects of jobs this scenario never sent: the harness mapped keys wrongly`);
    const letters = (await this.deadLetters()).map((d) => ({ idempotencyKey: d.idempotencyKey, jobName: d.jobName, reason: d.reason, attempts: d.attempts }));
    const attempts = await this.admin.attempts().catch((error: Error) => error);
    const spurious = attempts instanceof Error ? 0 : spuriousNetworkErrors(attempts, this.lb.dropped);
    if (spurious > 0) throw new Error(`${spurious} dispatches ended in a network error no kill caused: the harness dropped connections`);
    return groups.map((group) => {
      const t = tally({ jobs: group.jobs, effects, effectLog: log, kills: this.kills, deadLetters: letters, unprotected: group.unprotected });
      const scenario = group.id ? `${this.scenario}/${group.id}` : this.scenario;
      const misses = [...violations(t, group.runTwice), ...(group.misses ?? [])];
      const keys = new Set(group.jobs.map((job) => job.key));
      const dead = countBy(letters.filter((d) => keys.has(d.idempotencyKey)).map((d) => `${d.reason} at attempt ${d.attempts}`));
      const notes = [...(group.notes ?? []), ...(dead.size > 0 ? [`dead letters: ${formatCounts(dead)}`] : []), ...this.attemptNotes(attempts, group.jobs)];
      return { scenario, label: group.label, tally: t, violations: misses, wallMs, notes };
    });
  }

  /** What the emulator's attempt log says about a group's tasks (since the emulator's last start). */
  private attemptNotes(attempts: AttemptEntry[] | Error, jobs: readonly SentJob[]): string[] {
    if (attempts instanceof Error) return [`attempt log unavailable: ${attempts.message}`];
    const names = new Set(jobs.map((job) => this.taskNames.get(job.seq)));
    const { byStatus, givenUpOn } = attemptSummary(attempts.filter((a) => names.has(a.taskName)));
    const notes = [`emulator attempts by status: ${formatCounts(byStatus) || 'none'}`];
    if (givenUpOn.size > 0) notes.push(`tasks given up on, by last status: ${formatCounts(givenUpOn)}`);
    return notes;
  }

  /** Stops everything this stack started, newest first; never throws. */
  async close(): Promise<void> {
    for (const app of this.apps.values()) app.resume();
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    this.closers.length = 0;
  }
}

export function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

export function formatCounts(counts: ReadonlyMap<string, number>): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');
}

/** Network errors in the attempt log beyond the deliveries the balancer dropped on purpose (must be 0). */
export function spuriousNetworkErrors(attempts: readonly AttemptEntry[], dropped: number): number {
  const errors = attempts.filter((a) => a.status === 'network-error').length;
  return Math.max(0, errors - dropped);
}
