import { BadRequestException, Body, Controller, Inject, Param, Post, Query, UseFilters, type OnModuleInit } from '@nestjs/common';
import { CLOUD_TASKS_LOCAL_MODE, EnqueueValidationError, JobQueueService, type EnqueuedJob, type LocalMode } from '@nest-cloud-tasks/core';
import { EnqueueRateLimitFilter } from './enqueue-rate-limit.filter.js';

/** The actor of jobs added through the development endpoint without `?actor=`. */
export const DEV_ACTOR = 'dev-endpoint';

/**
 * Try it out: `curl -X POST localhost:3000/dev/jobs/calendar-sync -H 'content-type: application/json' -d '{"userId":"u1"}'`.
 * Only in local mode (jobs go to an emulator): it enqueues without authentication. Query: `delay` (seconds), `key`
 * (idempotency key), `dedupe=true`, `actor` (who asks, for the audit trail; default `dev-endpoint`).
 *
 * It stands for a user's action: the user-triggered jobs (calendar-sync, google-contacts-sync, adaptive-sync) are
 * limited to 100 adds per user (`userId`) per minute each; beyond, it answers 429 with `Retry-After`.
 */
@Controller('dev/jobs')
@UseFilters(EnqueueRateLimitFilter)
export class DevJobsController implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueueService,
    @Inject(CLOUD_TASKS_LOCAL_MODE) private readonly mode: LocalMode,
  ) {}

  /** A second lock beside the configuration check: never served while the module talks to real Cloud Tasks. */
  onModuleInit(): void {
    if (!this.mode.local) throw new Error('The development endpoint POST /dev/jobs/:jobName is only served in local mode (an emulator): it enqueues without authentication.');
  }

  @Post(':jobName')
  async enqueue(
    @Param('jobName') jobName: string,
    @Body() data: unknown,
    @Query('delay') delay?: string,
    @Query('key') key?: string,
    @Query('dedupe') dedupe?: string,
    @Query('actor') actor?: string,
  ): Promise<EnqueuedJob> {
    try {
      return await this.jobs.add(jobName, data ?? {}, {
        ...(delay !== undefined ? { delay: Number(delay) } : {}),
        ...(key ? { idempotencyKey: key } : {}),
        deduplicate: dedupe === 'true',
        actor: actor ?? DEV_ACTOR,
      });
    } catch (error) {
      if (error instanceof EnqueueValidationError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
