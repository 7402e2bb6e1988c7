import { Controller, HttpCode, Post, Req, Res, UseFilters, UseGuards, UseInterceptors, type Type } from '@nestjs/common';
import { OidcAuthGuard } from '../auth/oidc-auth.guard.js';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor.js';
import { JobExceptionFilter } from './job-exception.filter.js';
import { JOB_DELIVERY, writeOutcome, type JobRequest, type JobResponse } from './job-delivery.js';
import { JobRequestGuard } from './job-request.guard.js';
import { JobRunner } from './job-runner.js';

/**
 * Creates the job endpoint's controller class, `POST /{handlerPath}/:jobName`. A new class per module instance, so two
 * apps in one process (tests) can use different paths: the path is set from the options at boot.
 */
export function createJobController(): Type<unknown> {
  @Controller()
  @UseFilters(JobExceptionFilter)
  @UseGuards(OidcAuthGuard, JobRequestGuard)
  @UseInterceptors(IdempotencyInterceptor)
  class JobController {
    constructor(readonly runner: JobRunner) {}

    @Post(':jobName')
    @HttpCode(200)
    async handle(@Req() request: JobRequest, @Res({ passthrough: true }) response: JobResponse): Promise<unknown> {
      const delivery = request[JOB_DELIVERY]!;
      response.on?.('close', () => {
        if (!response.writableFinished) delivery.abort.abort(new Error('Cloud Tasks closed the connection'));
      });
      const outcome = await this.runner.run(delivery);
      delivery.outcome = outcome;
      writeOutcome(response, outcome);
      return outcome.body;
    }
  }
  return JobController;
}
