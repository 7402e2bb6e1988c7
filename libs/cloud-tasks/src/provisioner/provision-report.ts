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
  ) {}

  /** False when any change failed. */
  get ok(): boolean {
    return this.queues.every((q) => !q.error);
  }

  /** True when something was (or, in a dry run, would be) created, updated or deleted. */
  get hasChanges(): boolean {
    return this.queues.some((q) => q.action === 'create' || q.action === 'update' || q.action === 'delete');
  }

  /** Entries that failed. */
  get failures(): QueueReportEntry[] {
    return this.queues.filter((q) => q.error);
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
    return lines.join('\n');
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
    return { parent: this.parent, dryRun: this.dryRun, prune: this.prune, ok: this.ok, counts: this.counts(), queues: this.queues };
  }
}

function show(value: DisplayValue | undefined): string {
  return value === undefined ? '(none)' : String(value);
}
