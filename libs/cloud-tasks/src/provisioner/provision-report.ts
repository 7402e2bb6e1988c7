import type { ScheduleField } from '../schedules/schedule-settings.js';
import type { DisplayValue, QueueField } from './queue-settings.js';

/**
 * What the provisioner does (or, in a dry run, would do) to one queue:
 * - `create`: in the config, missing in Cloud Tasks;
 * - `update`: in both, with drifted fields;
 * - `delete`: in Cloud Tasks only, and `prune` was asked for;
 * - `unchanged`: in both, in sync;
 * - `unmanaged`: in Cloud Tasks only, kept because `prune` was not asked for.
 */
export type QueueAction = 'create' | 'update' | 'delete' | 'unchanged' | 'unmanaged';

/** One field of one queue, old → new. `from` is absent on create, `to` on delete. */
export interface FieldChange {
  /** Update-mask path, e.g. `retry_config.max_attempts`. */
  field: QueueField;
  from?: DisplayValue;
  to?: DisplayValue;
}

export interface QueueReportEntry {
  /** Queue id, e.g. `calendar-sync-queue`. */
  queue: string;
  /** Full resource name, `projects/P/locations/L/queues/ID`. */
  name: string;
  /** Job names configured on this queue (empty for queues not in the config). */
  jobs: string[];
  action: QueueAction;
  /** Field-by-field diff: every managed field on create/delete, the drifted ones on update, none otherwise. */
  changes: FieldChange[];
  /** The update mask sent (update only). */
  updateMask?: QueueField[];
  /** True once Cloud Tasks accepted the change; false in a dry run, on failure, and for unchanged/unmanaged queues. */
  applied: boolean;
  /** Queue state as Cloud Tasks reports it (`RUNNING`, `PAUSED`, `DISABLED`), for existing queues. */
  state?: string;
  /** Why the change failed, when it did. */
  error?: string;
}

/** One field of one Cloud Scheduler job, old → new (`state` is ENABLED/PAUSED). */
export interface ScheduleFieldChange {
  /** Update-mask path, e.g. `schedule`, `retry_config.retry_count`; or `state`. */
  field: ScheduleField;
  from?: DisplayValue;
  to?: DisplayValue;
}

/** What the sync does (or would do) to one Cloud Scheduler job; the actions mean what they mean for queues. */
export interface ScheduleReportEntry {
  /** Schedule id = Cloud Scheduler job id. */
  schedule: string;
  /** Full resource name, `projects/P/locations/L/jobs/ID`. */
  name: string;
  /** The job it runs (from the config; for jobs not in the config, read from their target URL when it is this service's). */
  job?: string;
  action: QueueAction;
  changes: ScheduleFieldChange[];
  /** The update mask sent (update only; a `state` change is a PauseJob/ResumeJob call instead). */
  updateMask?: ScheduleField[];
  applied: boolean;
  /** `ENABLED` or `PAUSED`, for existing jobs. */
  state?: string;
  /** Not in the config and not targeting this service's job endpoint: reported, never pruned. */
  foreign?: boolean;
  error?: string;
}

const SYMBOL: Record<QueueAction, string> = { create: '+', update: '~', delete: '-', unchanged: '=', unmanaged: '?' };
const VERB: Record<QueueAction, [done: string, planned: string]> = {
  create: ['created', 'would create'],
  update: ['updated', 'would update'],
  delete: ['deleted', 'would delete'],
  unchanged: ['unchanged', 'unchanged'],
  unmanaged: ['not in the config, kept (--prune deletes it)', 'not in the config, kept (--prune deletes it)'],
};
const ACTIONS: readonly QueueAction[] = ['create', 'update', 'delete', 'unchanged', 'unmanaged'];

/** The outcome of {@link QueueProvisioner.sync}: one entry per queue, sorted by queue id, and a printable diff. */
export class ProvisionReport {
  constructor(
    /** `projects/P/locations/L`. */
    readonly parent: string,
    readonly dryRun: boolean,
    readonly prune: boolean,
    readonly queues: readonly QueueReportEntry[],
    /** Cloud Scheduler jobs, sorted by id; undefined when the config has no `schedules` (Cloud Scheduler not consulted). */
    readonly schedules?: readonly ScheduleReportEntry[],
  ) {}

  /** False when any change failed. */
  get ok(): boolean {
    return this.queues.every((q) => !q.error) && (this.schedules ?? []).every((s) => !s.error);
  }

  /** True when something was (or, in a dry run, would be) created, updated or deleted. */
  get hasChanges(): boolean {
    const changes = (e: { action: QueueAction }) => e.action === 'create' || e.action === 'update' || e.action === 'delete';
    return this.queues.some(changes) || (this.schedules ?? []).some(changes);
  }

  /** Entries that failed. */
  get failures(): QueueReportEntry[] {
    return this.queues.filter((q) => q.error);
  }

  /** Cloud Scheduler jobs whose change failed. */
  get scheduleFailures(): ScheduleReportEntry[] {
    return (this.schedules ?? []).filter((s) => s.error);
  }

  /** How many Cloud Scheduler jobs per action. */
  scheduleCounts(): Record<QueueAction, number> {
    const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<QueueAction, number>;
    for (const s of this.schedules ?? []) counts[s.action]++;
    return counts;
  }

  /** The entry of a schedule id. */
  scheduleEntry(schedule: string): ScheduleReportEntry | undefined {
    return this.schedules?.find((s) => s.schedule === schedule);
  }

  /** How many queues per action. */
  counts(): Record<QueueAction, number> {
    const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<QueueAction, number>;
    for (const q of this.queues) counts[q.action]++;
    return counts;
  }

  /** The entry of a queue id. */
  entry(queue: string): QueueReportEntry | undefined {
    return this.queues.find((q) => q.queue === queue);
  }

  /**
   * A readable diff, e.g.
   * ```
   * Cloud Tasks queues in projects/p/locations/l (dry run: nothing changed)
   *   ~ calendar-sync-queue [calendar-sync]: would update
   *       retry_config.max_attempts  5 → 7
   *   = token-refresh-queue [token-refresh]: unchanged
   * 11 queues: 1 to update, 10 unchanged.
   * ```
   */
  format(): string {
    const lines = [`Cloud Tasks queues in ${this.parent}${this.dryRun ? ' (dry run: nothing changed)' : ''}`];
    const width = Math.max(0, ...this.queues.flatMap((q) => q.changes.map((c) => c.field.length)));
    for (const q of this.queues) {
      const jobs = q.jobs.length ? ` [${q.jobs.join(', ')}]` : '';
      const state = q.state && q.state !== 'RUNNING' ? ` (${q.state.toLowerCase()})` : '';
      const outcome = q.error ? `${q.action} FAILED: ${q.error}` : VERB[q.action][this.dryRun ? 1 : 0];
      lines.push(`  ${q.error ? '!' : SYMBOL[q.action]} ${q.queue}${jobs}${state}: ${outcome}`);
      for (const change of q.changes) {
        lines.push(`      ${change.field.padEnd(width)}  ${show(change.from)} → ${show(change.to)}`);
      }
    }
    lines.push(this.summary());
    if (this.schedules) lines.push(...this.formatSchedules());
    return lines.join('\n');
  }

  /** The Cloud Scheduler part of {@link format}. */
  private formatSchedules(): string[] {
    const schedules = this.schedules ?? [];
    const lines = [`Cloud Scheduler jobs in ${this.parent}${this.dryRun ? ' (dry run: nothing changed)' : ''}`];
    const width = Math.max(0, ...schedules.flatMap((s) => s.changes.map((c) => c.field.length)));
    for (const s of schedules) {
      const job = s.job ? ` [${s.job}]` : '';
      const state = s.state && s.state !== 'ENABLED' ? ` (${s.state.toLowerCase()})` : '';
      const verb = s.action === 'unmanaged' && s.foreign ? 'not in the config, targets another service: kept' : VERB[s.action][this.dryRun ? 1 : 0];
      const outcome = s.error ? `${s.action} FAILED: ${s.error}` : verb;
      lines.push(`  ${s.error ? '!' : SYMBOL[s.action]} ${s.schedule}${job}${state}: ${outcome}`);
      for (const change of s.changes) lines.push(`      ${change.field.padEnd(width)}  ${show(change.from)} → ${show(change.to)}`);
    }
    lines.push(this.scheduleSummary());
    return lines;
  }

  /** One line: `2 schedules: 1 created, 1 unchanged.` (or `to create` in a dry run, plus failures). */
  scheduleSummary(): string {
    const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<QueueAction, number>;
    const schedules = this.schedules ?? [];
    for (const s of schedules) if (!s.error) counts[s.action]++;
    const plan = this.dryRun;
    const parts: string[] = [];
    if (counts.create) parts.push(`${counts.create} ${plan ? 'to create' : 'created'}`);
    if (counts.update) parts.push(`${counts.update} ${plan ? 'to update' : 'updated'}`);
    if (counts.delete) parts.push(`${counts.delete} ${plan ? 'to delete' : 'deleted'}`);
    if (counts.unchanged) parts.push(`${counts.unchanged} unchanged`);
    if (counts.unmanaged) parts.push(`${counts.unmanaged} not in the config (kept)`);
    const failures = this.scheduleFailures.length;
    if (failures) parts.push(`${failures} FAILED`);
    return `${schedules.length} schedule${schedules.length === 1 ? '' : 's'}: ${parts.join(', ') || 'none'}.`;
  }

  /** One line: `11 queues: 1 created, 10 unchanged.` (or `to create` in a dry run, plus failures). */
  summary(): string {
    // NOTE: failed changes are counted once, as failures, not as done.
    const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<QueueAction, number>;
    for (const q of this.queues) if (!q.error) counts[q.action]++;
    const plan = this.dryRun;
    const parts: string[] = [];
    if (counts.create) parts.push(`${counts.create} ${plan ? 'to create' : 'created'}`);
    if (counts.update) parts.push(`${counts.update} ${plan ? 'to update' : 'updated'}`);
    if (counts.delete) parts.push(`${counts.delete} ${plan ? 'to delete' : 'deleted'}`);
    if (counts.unchanged) parts.push(`${counts.unchanged} unchanged`);
    if (counts.unmanaged) parts.push(`${counts.unmanaged} not in the config (kept)`);
    const failures = this.failures.length;
    if (failures) parts.push(`${failures} FAILED`);
    const total = this.queues.length;
    return `${total} queue${total === 1 ? '' : 's'}: ${parts.join(', ') || 'none'}.`;
  }

  toJSON(): Record<string, unknown> {
    const schedules = this.schedules ? { scheduleCounts: this.scheduleCounts(), schedules: this.schedules } : {};
    return { parent: this.parent, dryRun: this.dryRun, prune: this.prune, ok: this.ok, counts: this.counts(), queues: this.queues, ...schedules };
  }
}

function show(value: DisplayValue | undefined): string {
  return value === undefined ? '(none)' : String(value);
}
