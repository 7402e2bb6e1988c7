import { BadRequestException, Body, Controller, Inject, Param, Post, Query, type OnModuleInit } from '@nestjs/common';
import { CLOUD_TASKS_LOCAL_MODE, EnqueueValidationError, JobQueueService, type EnqueuedJob, type LocalMode } from '@nest-cloud-tasks/core';

/**
 * Try it out: `curl -X POST localhost:3000/dev/jobs/calendar-sync -H 'content-type: application/json' -d '{"userId":"u1"}'`.
 * Only in local mode (jobs go to an emulator): it enqueues without authentication. Query: `delay` (seconds), `key`
 * (idempotency key), `dedupe=true`.
 */
@Controller('dev/jobs')
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
  ): Promise<EnqueuedJob> {
    try {
      return await this.jobs.add(jobName, data ?? {}, {
        ...(delay !== undefined ? { delay: Number(delay) } : {}),
        ...(key ? { idempotencyKey: key } : {}),
        deduplicate: dedupe === 'true',
      });
    } catch (error) {
      if (error instanceof EnqueueValidationError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
