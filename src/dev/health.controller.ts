import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { CloudTasksHealthIndicator, type CloudTasksHealthState } from '@nest-cloud-tasks/core';

/** Liveness and readiness for Cloud Run and local checks. */
@Controller('health')
export class HealthController {
  constructor(private readonly jobs: CloudTasksHealthIndicator) {}

  /** Liveness: the process answers. */
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the idempotency store answers and the Cloud Tasks client is ready; 503 with the same body when not. (With
   * `@nestjs/terminus`, pass `() => this.jobs.isHealthy('jobs')` to `HealthCheckService.check()` instead.)
   */
  @Get('ready')
  async ready(): Promise<CloudTasksHealthState> {
    const { jobs } = await this.jobs.isHealthy('jobs', { timeoutMs: 2000 });
    if (jobs.status === 'down') throw new ServiceUnavailableException(jobs);
    return jobs;
  }
}
