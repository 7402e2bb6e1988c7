import type { BulkJob, EnqueuedJob } from '../interfaces/enqueue.interface.js';
import { EnqueueError } from './enqueue.error.js';

/** One item's outcome in a bulk enqueue, in input order. */
export type BulkItemResult = { ok: true; job: EnqueuedJob } | { ok: false; jobName: string; error: Error; item: BulkJob };

/** A failed item of a bulk enqueue. */
export interface BulkFailure {
  /** Input index. */
  index: number;
  jobName: string;
  error: Error;
  /** The item's idempotency key and task name, when the failure came from Cloud Tasks (an {@link EnqueueError}). */
  idempotencyKey?: string;
  taskName?: string;
  /** Whether the task may exist anyway (see {@link EnqueueError.taskMayExist}); false for items refused before any call. */
  taskMayExist: boolean;
}

/**
 * `addBulk()` rejects with this when any item failed. Every item was attempted; `results` holds each item's
 * outcome in input order, so the caller can see what was enqueued and retry only the failures:
 * `await jobs.addBulk(error.retryJobs())` re-adds them under the keys they had, so none can be created twice.
 */
export class BulkEnqueueError extends Error {
  override readonly name = 'BulkEnqueueError';
  constructor(readonly results: BulkItemResult[]) {
    const failed = results.filter((r) => !r.ok).length;
    super(`${failed} of ${results.length} jobs could not be enqueued; see results[] (input order) for each error.`);
  }

  /** The items that failed, with their input index, key, task name and whether the task may exist. */
  get failures(): BulkFailure[] {
    return this.results.flatMap((r, index) => {
      if (r.ok) return [];
      const cloud = r.error instanceof EnqueueError ? r.error : undefined;
      return [{ index, jobName: r.jobName, error: r.error, idempotencyKey: cloud?.idempotencyKey, taskName: cloud?.taskName, taskMayExist: cloud?.taskMayExist ?? false }];
    });
  }

  /** The jobs that were enqueued. */
  get enqueued(): EnqueuedJob[] {
    return this.results.flatMap((r) => (r.ok ? [r.job] : []));
  }

  /**
   * The items Cloud Tasks failed on, each with the idempotency key it had (so re-adding them is safe: a task that was
   * created after all answers as a duplicate). Items refused before any call (invalid input) are left out.
   */
  retryJobs(): BulkJob[] {
    return this.results.flatMap((r) => (!r.ok && r.error instanceof EnqueueError ? [{ ...r.item, options: { ...r.item.options, idempotencyKey: r.error.idempotencyKey } }] : []));
  }
}
