import { Controller, Post, Req, Res, UseFilters, UseGuards, UseInterceptors, type Type } from '@nestjs/common';
import { OidcAuthGuard } from '../auth/oidc-auth.guard.js';
import type { JobOutcome } from '../delivery/job-outcome.js';
import { JobRunner } from '../delivery/job.runner.js';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor.js';
import { deliveryOf } from './adapters/job-http.adapter.js';
import { JobExceptionFilter } from './job-exception.filter.js';
import { JobRequestGuard } from './job-request.guard.js';

/**
 * Creates the job endpoint's controller class, `POST /{handlerPath}/:jobName`: `OidcAuthGuard` (who calls) →
 * `JobRequestGuard` (route, body, envelope) → `IdempotencyInterceptor` (claim, record, answer) → the runner. A new class
 * per module instance, so two apps in one process (tests) can use different paths: the path is set at boot.
 */
export function createJobController(): Type<unknown> {
  @Controller()
  @UseFilters(JobExceptionFilter)
  @UseGuards(OidcAuthGuard, JobRequestGuard)
  @UseInterceptors(IdempotencyInterceptor)
  class JobController {
    constructor(readonly runner: JobRunner) {}

    /** Runs the delivery; the interceptor records the outcome and answers (hence `@Res()`: Nest writes nothing). */
    @Post(':jobName')
    async handle(@Req() request: unknown, @Res() _response: unknown): Promise<JobOutcome> {
      const delivery = deliveryOf(request)!;
      const outcome = await this.runner.run(delivery, request);
      delivery.set('outcome', outcome);
      return outcome;
    }
  }
  return JobController;
}
