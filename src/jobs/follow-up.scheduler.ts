import { Injectable, Logger, Optional } from '@nestjs/common';
import { JobQueueService, type EnqueuedJob, type JobContext } from '@nest-cloud-tasks/core';
import type { FollowUpJob } from './follow-up-job.js';

/** The actor of follow-ups of a job enqueued without one. */
export const FOLLOW_UP_ACTOR = 'catchup:follow-up';

/**
 * Enqueues the jobs a processor asks for after it. Keys derive from the parent job's key, so a retried parent
 * re-adds the same tasks (Cloud Tasks answers ALREADY_EXISTS → duplicate) instead of doubling them; if enqueueing
 * fails, the parent throws and is retried, so no follow-up is lost.
 */
@Injectable()
export class FollowUpScheduler {
  private readonly logger = new Logger('FollowUps');

  constructor(@Optional() private readonly queue?: JobQueueService) {}

  /** Enqueues `result.followUp`, then resolves the result unchanged. */
  async after<T extends { followUp: readonly FollowUpJob[] }>(parent: JobContext, result: T): Promise<T> {
    await this.schedule(parent, result.followUp);
    return result;
  }

  async schedule(parent: JobContext, followUps: readonly FollowUpJob[]): Promise<EnqueuedJob[]> {
    if (!followUps.length) return [];
    if (!this.queue) {
      this.logger.warn({ message: 'no JobQueueService: follow-up jobs not enqueued', parent: parent.jobName, jobs: followUps.map((f) => f.name) });
      return [];
    }
    const jobs = await this.queue.addBulk(
      // NOTE: follow-ups are the system's, not a user action: never counted against a user's enqueue limit. They name
      // the actor of the job that asked for them, so the audit trail leads back to who started the chain.
      followUps.map((f, i) => ({
        name: f.name,
        data: f.data,
        options: { ...f.options, idempotencyKey: `${parent.idempotencyKey}:then:${i}:${f.name}`, skipRateLimit: true, actor: parent.actor ?? FOLLOW_UP_ACTOR },
      })),
    );
    this.logger.log({ message: 'follow-up jobs enqueued', parent: parent.jobName, jobs: jobs.map((j) => `${j.jobName}${j.duplicate ? ' (already)' : ''}`) });
    return jobs;
  }
}
