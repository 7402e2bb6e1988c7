import { Injectable, Logger, Optional } from '@nestjs/common';
import type { CloudTasksClient, protos } from '@google-cloud/tasks';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { CloudTasksClientHost } from '../queue/cloud-tasks-client.host.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { ProvisionReport, type FieldChange, type QueueReportEntry } from './provision-report.js';
import { QueueProvisionError } from './queue-provision.error.js';
import { ScheduleProvisioner } from '../schedules/schedule-provisioner.js';
import {
  changedFields,
  desiredSettings,
  displayValue,
  liveSettings,
  QUEUE_FIELDS,
  queueMessage,
  type QueueField,
  type QueueSettings,
} from './queue-settings.js';

type IQueue = protos.google.cloud.tasks.v2.IQueue;

/** Options of {@link QueueProvisioner.sync}. */
export interface SyncOptions {
  /** Compute and report the changes without making any. Default false. */
  dryRun?: boolean;
  /** Delete the location's queues that are not in the config. Default false: they are reported and kept. */
  prune?: boolean;
}

/** gRPC codes with a hint worth giving. */
const Code = { INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, FAILED_PRECONDITION: 9, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;

interface DesiredQueue {
  jobs: string[];
  settings: QueueSettings;
}

/**
 * Makes the Cloud Tasks queues of the project/location match the module's `queues` option (DESIGN §7): creates the
 * missing ones, updates drifted retry/rate settings with an update mask naming exactly the changed fields, and deletes
 * queues that are not in the config only when asked (`prune`). Fields a config leaves out are held to the Cloud Tasks
 * defaults. Changes are applied one queue at a time; queue state (paused/running) is never touched. With a
 * `schedules` option, the same call syncs the Cloud Scheduler jobs (see `ScheduleProvisioner`), in the same report.
 *
 * @example
 * ```ts
 * const report = await app.get(QueueProvisioner).sync({ dryRun: true });
 * console.log(report.format());
 * ```
 */
@Injectable()
export class QueueProvisioner {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    private readonly clients: CloudTasksClientHost,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    @Optional() private readonly schedules?: ScheduleProvisioner,
  ) {}

  /** `projects/{projectId}/locations/{location}`. */
  get parent(): string {
    return `projects/${this.options.projectId}/locations/${this.options.location}`;
  }

  /**
   * Compares the config with the queues Cloud Tasks has and applies the difference (unless `dryRun`).
   *
   * @returns one entry per queue (config ∪ Cloud Tasks), sorted by id, with its action and field-by-field diff.
   * @throws QueueProvisionError when the queues cannot be listed, when two jobs configure one queue differently, or
   *   (after every other change was attempted) when some changes failed; its `report` then says which.
   */
  async sync({ dryRun = false, prune = false }: SyncOptions = {}): Promise<ProvisionReport> {
    const desired = this.desiredQueues();
    const client = await this.connect();
    const live = await this.liveQueues(client);
    const entries: QueueReportEntry[] = [];

    for (const [id, want] of desired) {
      const name = this.queueName(id);
      const queue = live.get(id);
      if (!queue) {
        entries.push({ queue: id, name, jobs: want.jobs, action: 'create', changes: diff(undefined, want.settings), applied: false });
        continue;
      }
      const current = liveSettings(queue);
      const fields = changedFields(current, want.settings);
      const state = stateOf(queue);
      entries.push(
        fields.length
          ? { queue: id, name, jobs: want.jobs, action: 'update', changes: diff(current, want.settings, fields), updateMask: fields, applied: false, state }
          : { queue: id, name, jobs: want.jobs, action: 'unchanged', changes: [], applied: false, state },
      );
    }
    for (const [id, queue] of live) {
      if (desired.has(id)) continue;
      const state = stateOf(queue);
      entries.push(
        prune
          ? { queue: id, name: this.queueName(id), jobs: [], action: 'delete', changes: diff(liveSettings(queue), undefined), applied: false, state }
          : { queue: id, name: this.queueName(id), jobs: [], action: 'unmanaged', changes: [], applied: false, state },
      );
    }
    entries.sort((a, b) => (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0));

    if (!dryRun) {
      for (const entry of entries) await this.apply(client, entry, desired.get(entry.queue)?.settings);
    }
    // NOTE: after the queues, so that a new schedule's first fire finds its queue.
    const schedules = await this.schedules?.sync(dryRun, prune);
    const report = new ProvisionReport(this.parent, dryRun, prune, entries, schedules);
    if (!report.ok) {
      const failed = [...report.failures.map((f) => `${f.queue} (${f.action}): ${f.error}`), ...report.scheduleFailures.map((f) => `schedule ${f.schedule} (${f.action}): ${f.error}`)];
      const what = report.scheduleFailures.length ? 'queue(s) or schedule(s)' : 'queue(s)';
      throw new QueueProvisionError(`Queue provisioning in ${this.parent} failed for ${failed.length} ${what}:\n  ${failed.join('\n  ')}`, report);
    }
    return report;
  }

  private async apply(client: CloudTasksClient, entry: QueueReportEntry, settings: QueueSettings | undefined): Promise<void> {
    try {
      switch (entry.action) {
        case 'create':
          await client.createQueue({ parent: this.parent, queue: queueMessage(entry.name, settings!) });
          break;
        case 'update':
          await client.updateQueue({ queue: queueMessage(entry.name, settings!, entry.updateMask), updateMask: { paths: [...entry.updateMask!] } });
          break;
        case 'delete':
          await client.deleteQueue({ name: entry.name });
          break;
        default:
          return;
      }
      entry.applied = true;
      this.logger.log({ msg: `queue ${entry.action}d`, queue: entry.name, ...(entry.updateMask ? { fields: entry.updateMask } : {}) });
    } catch (error) {
      entry.error = this.describe(error, entry.action);
      this.logger.error({ msg: `queue ${entry.action} failed`, queue: entry.name, error: entry.error });
    }
  }

  /** Job → queue configs grouped by queue id (several jobs may share a queue only with identical settings). */
  private desiredQueues(): Map<string, DesiredQueue> {
    const byId = new Map<string, DesiredQueue>();
    for (const [jobName, config] of Object.entries(this.options.queues)) {
      let settings: QueueSettings;
      try {
        settings = desiredSettings(config);
      } catch (error) {
        throw new QueueProvisionError(`Job "${jobName}": ${(error as Error).message}`);
      }
      const seen = byId.get(config.name);
      if (!seen) {
        byId.set(config.name, { jobs: [jobName], settings });
        continue;
      }
      const conflicts = changedFields(seen.settings, settings);
      if (conflicts.length) {
        throw new QueueProvisionError(`Jobs "${seen.jobs[0]}" and "${jobName}" configure queue "${config.name}" differently (${conflicts.join(', ')}): give each job its own queue or the same settings.`);
      }
      seen.jobs.push(jobName);
    }
    return byId;
  }

  /**
   * The initialised client (a client that cannot start, without Google credentials, would leave an unhandled
   * rejection behind in its generated methods, which ends the process).
   */
  private async connect(): Promise<CloudTasksClient> {
    try {
      return await this.clients.client();
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      throw new QueueProvisionError(`Could not list the Cloud Tasks queues of ${this.parent}: ${this.describe(cause, 'list')}`, undefined, { cause });
    }
  }

  /** The location's queues by id (every page). */
  private async liveQueues(client: CloudTasksClient): Promise<Map<string, IQueue>> {
    let queues: IQueue[];
    try {
      // NOTE: an emulator that does not answer is not running: fail at once instead of retrying for gax's 20 s.
      [queues] = await client.listQueues({ parent: this.parent }, this.options.emulatorHost ? { retry: null } : undefined);
    } catch (error) {
      throw new QueueProvisionError(`Could not list the Cloud Tasks queues of ${this.parent}: ${this.describe(error, 'list')}`, undefined, { cause: error });
    }
    const prefix = `${this.parent}/queues/`;
    const byId = new Map<string, IQueue>();
    for (const queue of queues) {
      if (queue.name?.startsWith(prefix)) byId.set(queue.name.slice(prefix.length), queue);
    }
    return byId;
  }

  private queueName(id: string): string {
    return `${this.parent}/queues/${id}`;
  }

  /** The error's message plus what usually causes it. */
  private describe(error: unknown, action: string): string {
    const message = conciseMessage(error);
    let code = (error as { code?: unknown })?.code;
    // NOTE: google-gax gives up on retries with DEADLINE_EXCEEDED; the cause is in its message.
    if (code === Code.DEADLINE_EXCEEDED && /\b14 UNAVAILABLE\b/.test(message)) code = Code.UNAVAILABLE;
    const hint = (() => {
      switch (code) {
        case Code.UNAVAILABLE:
          return this.options.emulatorHost
            ? `is the Cloud Tasks emulator running at ${this.options.emulatorHost} (CLOUD_TASKS_EMULATOR_HOST)?`
            : 'Cloud Tasks is unreachable from here (network, proxy or firewall)';
        case Code.UNAUTHENTICATED:
          return 'no usable Google credentials: run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS';
        case Code.PERMISSION_DENIED:
          return `the caller needs the Cloud Tasks Admin role (roles/cloudtasks.admin or roles/cloudtasks.queueAdmin) on project ${this.options.projectId}, and the Cloud Tasks API must be enabled`;
        case Code.NOT_FOUND:
          return action === 'list' ? `check GCP_PROJECT_ID (${this.options.projectId}) and GCP_REGION (${this.options.location})` : 'the queue disappeared meanwhile; run the sync again';
        case Code.FAILED_PRECONDITION:
          return action === 'create' ? 'Cloud Tasks refuses to re-create a queue id for up to 7 days after it was deleted: wait, or give the queue a new name' : undefined;
        case Code.ALREADY_EXISTS:
          return 'it was created meanwhile; run the sync again';
        default:
          return /default credentials/i.test(message)
            ? 'no usable Google credentials: run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS'
            : undefined;
      }
    })();
    return hint ? `${message} (${hint})` : message;
  }
}

function diff(from: QueueSettings | undefined, to: QueueSettings | undefined, fields: readonly QueueField[] = QUEUE_FIELDS): FieldChange[] {
  return fields.map((field) => {
    const change: FieldChange = { field };
    if (from) change.from = displayValue(field, from[field]);
    if (to) change.to = displayValue(field, to[field]);
    return change;
  });
}

/** A google-gax error message without its list of every retried error. */
function conciseMessage(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  return message
    .split(' : Previous errors')[0]
    .replace(/\s*Resolution note:\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function stateOf(queue: IQueue): string | undefined {
  const state = queue.state;
  if (state === null || state === undefined) return undefined;
  return typeof state === 'number' ? (['STATE_UNSPECIFIED', 'RUNNING', 'PAUSED', 'DISABLED'][state] ?? String(state)) : String(state);
}
