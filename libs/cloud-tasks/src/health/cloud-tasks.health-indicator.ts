import { Injectable } from '@nestjs/common';
import { InjectIdempotencyStore, InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.interface.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { CloudTasksClientHost } from '../queue/cloud-tasks-client.host.js';
import { HEALTH_CHECK_TIMED_OUT, HEALTH_UNKNOWN_QUEUE_JOB } from './cloud-tasks-health.messages.js';

/** `up` or `down`, as `@nestjs/terminus` reads it. */
export type CloudTasksHealthStatus = 'up' | 'down';

/** One dependency's state. */
export interface CloudTasksDependencyHealth {
  status: CloudTasksHealthStatus;
  /** Why it is down (never a secret: the error's message). */
  error?: string;
}

/** The state under the indicator's key: `up` when both dependencies are. */
export interface CloudTasksHealthState {
  status: CloudTasksHealthStatus;
  /** The idempotency store answered a read. */
  store: CloudTasksDependencyHealth;
  /** The Cloud Tasks client initialised (and, with the `queue` option, `GetQueue` answered). */
  cloudTasks: CloudTasksDependencyHealth;
}

/** `@nestjs/terminus`' `HealthIndicatorResult` shape: `{ [key]: { status, … } }`. */
export type CloudTasksHealthResult<Key extends string = 'cloud-tasks'> = Record<Key, CloudTasksHealthState>;

export interface CloudTasksHealthOptions {
  /** How long each dependency may take to answer, in ms (default 3000). */
  timeoutMs?: number;
  /**
   * Also ask Cloud Tasks for a queue (`GetQueue`: a network call, counted against the Cloud Tasks API quota): `true`
   * for the first configured job's queue, or a job name. Default: only check that the client initialised.
   */
  queue?: boolean | string;
}

const STORE_PROBE_KEY = 'cloud-tasks:health-probe';

/**
 * A health indicator for `@nestjs/terminus` (which the module does not depend on): is the idempotency store reachable,
 * is the Cloud Tasks client ready. It never throws: it returns terminus' result shape with `status: 'down'`, which
 * `HealthCheckService.check()` (terminus 11 and later) reports as an error (HTTP 503).
 *
 * @example
 * ```ts
 * @Get('health') @HealthCheck()
 * check() {
 *   return this.health.check([() => this.cloudTasks.isHealthy('jobs')]);
 * }
 * ```
 */
@Injectable()
export class CloudTasksHealthIndicator {
  constructor(
    @InjectIdempotencyStore() private readonly store: IdempotencyStore,
    private readonly clients: CloudTasksClientHost,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
  ) {}

  /** Checks the store and the client in parallel; resolves `{ [key]: { status, store, cloudTasks } }`. */
  async isHealthy<Key extends string = 'cloud-tasks'>(key: Key = 'cloud-tasks' as Key, { timeoutMs = 3000, queue = false }: CloudTasksHealthOptions = {}): Promise<CloudTasksHealthResult<Key>> {
    const [store, cloudTasks] = await Promise.all([
      this.probe('the idempotency store', timeoutMs, () => this.store.get(STORE_PROBE_KEY)),
      this.probe('Cloud Tasks', timeoutMs, () => this.checkCloudTasks(queue, timeoutMs)),
    ]);
    const status: CloudTasksHealthStatus = store.status === 'up' && cloudTasks.status === 'up' ? 'up' : 'down';
    return { [key]: { status, store, cloudTasks } } as CloudTasksHealthResult<Key>;
  }

  private async checkCloudTasks(queue: boolean | string, timeoutMs: number): Promise<void> {
    const client = await this.clients.client();
    if (queue === false) return;
    const jobName = queue === true ? Object.keys(this.options.queues)[0] : queue;
    const config = jobName === undefined ? undefined : this.options.queues[jobName];
    if (!config) throw new Error(HEALTH_UNKNOWN_QUEUE_JOB(String(jobName)));
    const { projectId, location } = this.options;
    await client.getQueue({ name: `projects/${projectId}/locations/${location}/queues/${config.name}` }, { timeout: timeoutMs, retry: null });
  }

  private async probe(what: string, timeoutMs: number, check: () => Promise<unknown>): Promise<CloudTasksDependencyHealth> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(HEALTH_CHECK_TIMED_OUT(what, timeoutMs))), timeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([check(), timeout]);
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
