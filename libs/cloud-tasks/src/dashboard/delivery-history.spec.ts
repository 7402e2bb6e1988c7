import { describe, expect, it } from '@jest/globals';
import type { JobEvent } from '../events/job-event.interface.js';
import { DeliveryHistory, percentile } from './delivery-history.js';

const clock = { t: 1_000, now() { return this.t++; } };
const event = (type: JobEvent['type'], extra: Partial<JobEvent> = {}): JobEvent => ({ type, jobName: 'sync', queue: 'sync-queue', taskName: `t-${clock.t}`, idempotencyKey: 'secret-key', ...extra });

describe('DeliveryHistory', () => {
  it('keeps the last N deliveries, newest first, and ignores events that are not a delivery outcome', () => {
    const history = new DeliveryHistory(3, 10, clock);
    history.record(event('enqueued'));
    history.record(event('started'));
    for (const taskName of ['a', 'b', 'c', 'd', 'e']) history.record(event('completed', { taskName, durationMs: 1 }));
    expect(history.recent().map((d) => d.taskName)).toEqual(['e', 'd', 'c']);
    expect(history.recent(2).map((d) => d.taskName)).toEqual(['e', 'd']);
  });

  it('names outcomes as the page shows them, shortens errors, and never keeps the idempotency key', () => {
    const history = new DeliveryHistory(10, 10, clock);
    history.record(event('retrying', { attempt: 1, durationMs: 4, error: 'x'.repeat(400) }));
    history.record(event('duplicate', { attempt: 2 }));
    history.record(event('dead', { attempt: 3, durationMs: 2, error: 'PermanentError: gone' }));
    const [dead, duplicate, retried] = history.recent();
    expect([dead.outcome, duplicate.outcome, retried.outcome]).toEqual(['dead', 'duplicate', 'retried']);
    expect(retried.error).toHaveLength(301);
    expect(JSON.stringify(history.recent())).not.toContain('secret-key');
  });

  it('gives per-job counts, success rate over runs (duplicates aside) and p95 over the last `window` durations', () => {
    const history = new DeliveryHistory(5, 20, clock);
    for (let ms = 1; ms <= 30; ms++) history.record(event('completed', { durationMs: ms }));
    history.record(event('retrying', { durationMs: 100 }));
    history.record(event('dead', { durationMs: 200 }));
    history.record(event('duplicate'));
    // The window holds 13…30, 100 and 200: the 19th of 20 (nearest rank of p95) is 100.
    const [sync, idle] = history.stats(['sync', 'idle']);
    expect(sync).toEqual({ jobName: 'sync', completed: 30, retried: 1, dead: 1, duplicate: 1, successRate: 30 / 32, p95Ms: 100, samples: 20 });
    expect(idle).toEqual({ jobName: 'idle', completed: 0, retried: 0, dead: 0, duplicate: 0, samples: 0 });
  });
});

describe('percentile', () => {
  it('is the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(values[0]).toBe(100);
  });
});
