import { describe, expect, it } from '@jest/globals';
import { ProvisionReport, type QueueReportEntry } from './provision-report.js';

const entries: QueueReportEntry[] = [
  { queue: 'a-queue', name: 'n/a', jobs: ['a'], action: 'create', changes: [{ field: 'retry_config.max_attempts', to: 5 }, { field: 'rate_limits.max_dispatches_per_second', to: 10 }], applied: true },
  { queue: 'b-queue', name: 'n/b', jobs: ['b'], action: 'update', changes: [{ field: 'retry_config.min_backoff', from: '0.1s', to: '30s' }], updateMask: ['retry_config.min_backoff'], applied: true, state: 'PAUSED' },
  { queue: 'c-queue', name: 'n/c', jobs: ['c'], action: 'unchanged', changes: [], applied: false, state: 'RUNNING' },
  { queue: 'd-queue', name: 'n/d', jobs: [], action: 'unmanaged', changes: [], applied: false },
  { queue: 'e-queue', name: 'n/e', jobs: [], action: 'delete', changes: [{ field: 'retry_config.max_attempts', from: 100 }], applied: true },
];

describe('ProvisionReport', () => {
  it('prints a readable diff: one line per queue, one per changed field (old → new), then a summary', () => {
    expect(new ProvisionReport('projects/p/locations/l', false, true, entries).format()).toBe(
      [
        'Cloud Tasks queues in projects/p/locations/l',
        '  + a-queue [a]: created',
        '      retry_config.max_attempts              (none) → 5',
        '      rate_limits.max_dispatches_per_second  (none) → 10',
        '  ~ b-queue [b] (paused): updated',
        '      retry_config.min_backoff               0.1s → 30s',
        '  = c-queue [c]: unchanged',
        '  ? d-queue: not in the config, kept (--prune deletes it)',
        '  - e-queue: deleted',
        '      retry_config.max_attempts              100 → (none)',
        '5 queues: 1 created, 1 updated, 1 deleted, 1 unchanged, 1 not in the config (kept).',
      ].join('\n'),
    );
  });

  it('says what would happen in a dry run, and marks failures', () => {
    const report = new ProvisionReport('projects/p/locations/l', true, false, [
      { ...entries[0], applied: false },
      { ...entries[1], applied: false, error: '7 PERMISSION_DENIED: denied' },
    ]);
    expect(report.format()).toBe(
      [
        'Cloud Tasks queues in projects/p/locations/l (dry run: nothing changed)',
        '  + a-queue [a]: would create',
        '      retry_config.max_attempts              (none) → 5',
        '      rate_limits.max_dispatches_per_second  (none) → 10',
        '  ! b-queue [b] (paused): update FAILED: 7 PERMISSION_DENIED: denied',
        '      retry_config.min_backoff               0.1s → 30s',
        '2 queues: 1 to create, 1 FAILED.',
      ].join('\n'),
    );
    expect(report.ok).toBe(false);
    expect(report.hasChanges).toBe(true);
    expect(report.counts()).toEqual({ create: 1, update: 1, delete: 0, unchanged: 0, unmanaged: 0 });
  });

  it('serialises to JSON with its counts', () => {
    const json = JSON.parse(JSON.stringify(new ProvisionReport('projects/p/locations/l', false, false, [entries[2]])));
    expect(json).toEqual({ parent: 'projects/p/locations/l', dryRun: false, prune: false, ok: true, counts: { create: 0, update: 0, delete: 0, unchanged: 1, unmanaged: 0 }, queues: [entries[2]] });
    expect(new ProvisionReport('p', false, false, []).summary()).toBe('0 queues: none.');
  });
});
