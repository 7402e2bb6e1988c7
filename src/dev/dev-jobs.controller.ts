import { BadRequestException, Body, Controller, Param, Post, Query } from '@nestjs/common';
import { EnqueueValidationError, JobQueueService, type EnqueuedJob } from '../../libs/cloud-tasks/src/index.js';

/**
 * Try it out: `curl -X POST localhost:3000/dev/jobs/calendar-sync -H 'content-type: application/json' -d '{"userId":"u1"}'`.
 * Enabled outside production (ENABLE_DEV_ENDPOINTS). Query: `delay` (seconds), `key` (idempotency key), `dedupe=true`.
 */
@Controller('dev/jobs')
export class DevJobsController {
  constructor(private readonly jobs: JobQueueService) {}

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
