import type { EnqueuedJob } from '../interfaces/enqueue.interface.js';

/** One item's outcome in a bulk enqueue, in input order. */
export type BulkItemResult = { ok: true; job: EnqueuedJob } | { ok: false; jobName: string; error: Error };

/**
 * `addBulk()` rejects with this when any item failed. Every item was attempted; `results` holds each item's
 * outcome in input order, so the caller can see what was enqueued and retry only the failures.
 */
export class BulkEnqueueError extends Error {
  override readonly name = 'BulkEnqueueError';
  constructor(readonly results: BulkItemResult[]) {
    const failed = results.filter((r) => !r.ok).length;
    super(`${failed} of ${results.length} jobs could not be enqueued; see results[] (input order) for each error.`);
  }

  /** The items that failed, with their input index. */
  get failures(): Array<{ index: number; jobName: string; error: Error }> {
    return this.results.flatMap((r, index) => (r.ok ? [] : [{ index, jobName: r.jobName, error: r.error }]));
  }

  /** The jobs that were enqueued. */
  get enqueued(): EnqueuedJob[] {
    return this.results.flatMap((r) => (r.ok ? [r.job] : []));
  }
}
