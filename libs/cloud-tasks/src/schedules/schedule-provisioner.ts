import { Injectable, Logger } from '@nestjs/common';
import type { CloudSchedulerClient, protos } from '@google-cloud/scheduler';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import type { ScheduleFieldChange, ScheduleReportEntry } from '../provisioner/provision-report.js';
import { QueueProvisionError } from '../provisioner/queue-provision.error.js';
import { CloudSchedulerClientHost } from './cloud-scheduler-client.host.js';
import {
  changedScheduleFields,
  desiredScheduleSettings,
  jobMessage,
  liveScheduleSettings,
  SCHEDULE_FIELDS,
  targetsThisService,
  type ScheduleField,
  type ScheduleSettings,
} from './schedule-settings.js';
import type { ResolvedSchedule } from './schedule.rules.js';

type IJob = protos.google.cloud.scheduler.v1.IJob;

const Code = { DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, FAILED_PRECONDITION: 9, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;

/**
 * The Cloud Scheduler half of `QueueProvisioner.sync()`: makes the location's Cloud Scheduler jobs match the
 * `schedules` option. Creates the missing, updates drifted fields with an update mask naming exactly them, pauses
 * or resumes to match `paused`, reports jobs not in the config and deletes them only with `prune` — and then only
 * those whose target is this service's job endpoint.
 */
@Injectable()
export class ScheduleProvisioner {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    private readonly clients: CloudSchedulerClientHost,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
  ) {}

  private get parent(): string {
    return `projects/${this.options.projectId}/locations/${this.options.location}`;
  }

  /** Compares the schedules with Cloud Scheduler and applies the difference (unless `dryRun`); undefined without `schedules`. */
  async sync(dryRun: boolean, prune: boolean): Promise<ScheduleReportEntry[] | undefined> {
    const schedules = this.options.schedules;
    if (!schedules) return undefined;
    const client = await this.connect();
    const live = await this.liveJobs(client);
    const entries: ScheduleReportEntry[] = [];
    const wanted = new Map<string, ResolvedSchedule>();
    for (const schedule of schedules) {
      wanted.set(schedule.id, schedule);
      const name = this.jobName(schedule.id);
      const desired = desiredScheduleSettings(name, schedule, this.options);
      const job = live.get(schedule.id);
      if (!job) {
        entries.push({ schedule: schedule.id, name, job: schedule.job, action: 'create', changes: diff(undefined, desired), applied: false });
        continue;
      }
      const current = liveScheduleSettings(job, this.options);
      const fields = changedScheduleFields(current, desired);
      const state = current.state as string;
      entries.push(
        fields.length
          ? { schedule: schedule.id, name, job: schedule.job, action: 'update', changes: diff(current, desired, fields), updateMask: fields, applied: false, state }
          : { schedule: schedule.id, name, job: schedule.job, action: 'unchanged', changes: [], applied: false, state },
      );
    }
    for (const [id, job] of live) {
      if (wanted.has(id)) continue;
      const ours = targetsThisService(job, this.options);
      const state = liveScheduleSettings(job, this.options).state as string;
      const target = decodeURIComponent((job.httpTarget?.uri ?? '').split('/').pop() ?? '');
      const base = { schedule: id, name: this.jobName(id), ...(ours ? { job: target } : {}), applied: false, state };
      entries.push(prune && ours ? { ...base, action: 'delete', changes: diff(liveScheduleSettings(job, this.options), undefined) } : { ...base, action: 'unmanaged', changes: [], ...(ours ? {} : { foreign: true }) });
    }
    entries.sort((a, b) => (a.schedule < b.schedule ? -1 : a.schedule > b.schedule ? 1 : 0));
    if (!dryRun) for (const entry of entries) await this.apply(client, entry, wanted.get(entry.schedule));
    return entries;
  }

  private async apply(client: CloudSchedulerClient, entry: ScheduleReportEntry, schedule: ResolvedSchedule | undefined): Promise<void> {
    try {
      switch (entry.action) {
        case 'create':
          await client.createJob({ parent: this.parent, job: jobMessage(entry.name, schedule!, this.options) });
          if (schedule!.paused) await client.pauseJob({ name: entry.name });
          break;
        case 'update': {
          const mask = entry.updateMask!.filter((f) => f !== 'state');
          if (mask.length) await client.updateJob({ job: jobMessage(entry.name, schedule!, this.options), updateMask: { paths: mask } });
          if (entry.updateMask!.includes('state')) {
            if (schedule!.paused) await client.pauseJob({ name: entry.name });
            else await client.resumeJob({ name: entry.name });
          }
          break;
        }
        case 'delete':
          await client.deleteJob({ name: entry.name });
          break;
        default:
          return;
      }
      entry.applied = true;
      this.logger.log({ msg: `schedule ${entry.action}d`, schedule: entry.name, ...(entry.updateMask ? { fields: entry.updateMask } : {}) });
    } catch (error) {
      entry.error = this.describe(error, entry.action);
      this.logger.error({ msg: `schedule ${entry.action} failed`, schedule: entry.name, error: entry.error });
    }
  }

  private async connect(): Promise<CloudSchedulerClient> {
    try {
      return await this.clients.client();
    } catch (error) {
      throw new QueueProvisionError(`Could not list the Cloud Scheduler jobs of ${this.parent}: ${(error as Error).message}`, undefined, { cause: error });
    }
  }

  /** The location's Cloud Scheduler jobs by id (every page). */
  private async liveJobs(client: CloudSchedulerClient): Promise<Map<string, IJob>> {
    let jobs: IJob[];
    try {
      [jobs] = await client.listJobs({ parent: this.parent }, this.options.emulatorHost ? { retry: null } : undefined);
    } catch (error) {
      throw new QueueProvisionError(`Could not list the Cloud Scheduler jobs of ${this.parent}: ${this.describe(error, 'list')}`, undefined, { cause: error });
    }
    const prefix = `${this.parent}/jobs/`;
    const byId = new Map<string, IJob>();
    for (const job of jobs) if (job.name?.startsWith(prefix)) byId.set(job.name.slice(prefix.length), job);
    return byId;
  }

  private jobName(id: string): string {
    return `${this.parent}/jobs/${id}`;
  }

  private describe(error: unknown, action: string): string {
    const message = ((error as Error)?.message ?? String(error)).split(' : Previous errors')[0].replace(/\s+/g, ' ').trim();
    let code = (error as { code?: unknown })?.code;
    if (code === Code.DEADLINE_EXCEEDED && /\b14 UNAVAILABLE\b/.test(message)) code = Code.UNAVAILABLE;
    const hint = (() => {
      switch (code) {
        case Code.UNAVAILABLE:
          return this.options.emulatorHost ? `is the emulator running at ${this.options.emulatorHost} (CLOUD_TASKS_EMULATOR_HOST)?` : 'Cloud Scheduler is unreachable from here (network, proxy or firewall)';
        case Code.UNAUTHENTICATED:
          return 'no usable Google credentials: run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS';
        case Code.PERMISSION_DENIED:
          return `the caller needs roles/cloudscheduler.admin on project ${this.options.projectId} (and roles/iam.serviceAccountUser on ${this.options.serviceAccountEmail}, which the jobs' tokens are minted as), and the Cloud Scheduler API must be enabled`;
        case Code.NOT_FOUND:
          return action === 'list' ? `check GCP_PROJECT_ID (${this.options.projectId}) and GCP_REGION (${this.options.location})` : 'the job disappeared meanwhile; run the sync again';
        case Code.ALREADY_EXISTS:
          return 'it was created meanwhile; run the sync again';
        default:
          return undefined;
      }
    })();
    return hint ? `${message} (${hint})` : message;
  }
}

function diff(from: ScheduleSettings | undefined, to: ScheduleSettings | undefined, fields: readonly ScheduleField[] = [...SCHEDULE_FIELDS, 'state']): ScheduleFieldChange[] {
  return fields.map((field) => {
    const change: ScheduleFieldChange = { field };
    if (from) change.from = from[field];
    if (to) change.to = to[field];
    return change;
  });
}
