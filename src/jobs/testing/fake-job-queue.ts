import type { Provider } from '@nestjs/common';
import { JobQueueService, type BulkJob, type EnqueuedJob } from '@nest-cloud-tasks/core';
import { FollowUpScheduler } from '../follow-up.scheduler.js';

/** Records what would have been enqueued (the boundary replaced in processor unit specs). */
export class FakeJobQueue {
  readonly added: BulkJob[] = [];

  async addBulk(jobs: ReadonlyArray<BulkJob>): Promise<EnqueuedJob[]> {
    this.added.push(...jobs);
    return jobs.map((j, i) => ({ taskName: `fake/tasks/${this.added.length - jobs.length + i}`, jobName: j.name, queue: `${j.name}-queue`, idempotencyKey: j.options?.idempotencyKey ?? String(i), duplicate: false }));
  }
}

/** Providers for a processor spec: the follow-up scheduler over a {@link FakeJobQueue}. */
export function followUpTestProviders(queue = new FakeJobQueue()): Provider[] {
  return [FollowUpScheduler, { provide: JobQueueService, useValue: queue }];
}
