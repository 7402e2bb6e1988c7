import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { UNSUPPORTED_HTTP_ADAPTER } from '../../cloud-tasks.messages.js';
import { InjectResolvedOptions } from '../../cloud-tasks.tokens.js';
import type { HttpJobDelivery } from '../../delivery/job-delivery.js';
import { CloudTasksConfigError } from '../../errors/cloud-tasks-config.error.js';
import type { ResolvedCloudTasksOptions } from '../../options/resolved-options.js';
import { ExpressJobAdapter } from './express-job.adapter.js';
import { FastifyJobAdapter } from './fastify-job.adapter.js';
import type { JobAnswer, JobHttpAdapter } from './job-http.adapter.js';

/**
 * Picks the {@link JobHttpAdapter} of the running app (`HttpAdapterHost`: Express or Fastify) when the module
 * initialises and installs its front door. In an application context without HTTP (CLIs), there is none.
 */
@Injectable()
export class JobHttpAdapterHost implements OnModuleInit {
  private current?: JobHttpAdapter;

  constructor(
    private readonly host: HttpAdapterHost,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
  ) {}

  onModuleInit(): void {
    const http = this.host.httpAdapter;
    if (!http || this.current) return;
    const type = http.getType();
    if (type === 'express') this.current = new ExpressJobAdapter();
    else if (type === 'fastify') this.current = new FastifyJobAdapter();
    else throw new CloudTasksConfigError(UNSUPPORTED_HTTP_ADAPTER(type));
    this.current.install(this.options.handlerPath, http.getInstance(), http.getHttpServer());
  }

  /** The adapter in use (the job endpoint only runs under an HTTP app, so it exists by the first request). */
  get adapter(): JobHttpAdapter {
    if (!this.current) throw new Error('The job endpoint received a request before CloudTasksModule initialised its HTTP adapter.');
    return this.current;
  }

  send(response: unknown, answer: JobAnswer, delivery: HttpJobDelivery | undefined): void {
    this.adapter.send(response, answer, delivery);
  }
}
