import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  DUPLICATE_JOB_HANDLER,
  HANDLER_MAX_ATTEMPTS_ABOVE_QUEUE,
  HANDLER_WITHOUT_PROCESS,
  HANDLER_WITHOUT_QUEUE,
  QUEUE_WITHOUT_HANDLER,
} from '../cloud-tasks.messages.js';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import type { JobProcessor } from '../interfaces/job.interface.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { getJobHandlerMetadata } from './job-handler-metadata.accessor.js';
import { JobHandlerRegistry } from './job-handler.registry.js';

/** Finds `@JobHandler()` providers at boot, checks them against the queue configs and fills the registry. */
@Injectable()
export class JobHandlerExplorer implements OnModuleInit {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly registry: JobHandlerRegistry,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
  ) {}

  onModuleInit(): void {
    const seen = new Map<string, string>();
    for (const wrapper of this.discovery.getProviders()) {
      const metadata = getJobHandlerMetadata(wrapper.metatype);
      if (!metadata || !wrapper.instance || wrapper.isAlias) continue;
      const className = (wrapper.metatype as { name: string }).name;
      const { name: jobName, ...handlerOptions } = metadata;
      const first = seen.get(jobName);
      if (first) throw new CloudTasksConfigError(DUPLICATE_JOB_HANDLER(jobName, first, className));
      seen.set(jobName, className);

      const instance = wrapper.instance as Partial<JobProcessor>;
      if (typeof instance.process !== 'function') throw new CloudTasksConfigError(HANDLER_WITHOUT_PROCESS(jobName, className));
      const queue = Object.hasOwn(this.options.queues, jobName) ? this.options.queues[jobName] : undefined;
      if (!queue) throw new CloudTasksConfigError(HANDLER_WITHOUT_QUEUE(jobName, className));
      const queueMax = queue.retryConfig.maxAttempts;
      if (handlerOptions.maxAttempts !== undefined && queueMax !== -1 && handlerOptions.maxAttempts > queueMax) {
        throw new CloudTasksConfigError(HANDLER_MAX_ATTEMPTS_ABOVE_QUEUE(jobName, className, handlerOptions.maxAttempts, queueMax));
      }
      this.registry.register({ jobName, className, instance: instance as JobProcessor, options: handlerOptions, queue });
    }
    for (const [jobName, queue] of Object.entries(this.options.queues)) {
      if (!seen.has(jobName)) this.logger.warn(QUEUE_WITHOUT_HANDLER(jobName, queue.name));
    }
    this.logger.log({ msg: 'job handlers registered', jobs: [...seen.keys()] });
  }
}
