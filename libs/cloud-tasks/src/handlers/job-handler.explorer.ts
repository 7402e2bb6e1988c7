import { Injectable, Logger, type OnModuleInit, type Type } from '@nestjs/common';
import { ContextIdFactory, DiscoveryService, ModuleRef } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import {
  DUPLICATE_JOB_HANDLER,
  HANDLER_MAX_ATTEMPTS_ABOVE_QUEUE,
  HANDLER_MAX_ATTEMPTS_INVALID,
  HANDLER_WITHOUT_PROCESS,
  HANDLER_WITHOUT_QUEUE,
  QUEUE_WITHOUT_HANDLER,
} from '../cloud-tasks.messages.js';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import { maxAttemptsProblem } from '../limits/job-limits.js';
import type { JobProcessor } from '../interfaces/job.interface.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { getJobHandlerMetadata } from './job-handler-metadata.accessor.js';
import { JobHandlerRegistry, type RegisteredJobHandler } from './job-handler.registry.js';

/**
 * Finds `@JobHandler()` providers at boot, checks them against the queue configs and fills the registry. A handler is
 * found by the class of its instance, so `useClass`, `useFactory` and `useValue` providers all count. A request-scoped
 * (or transient) handler, or one depending on request-scoped providers, gets an instance per delivery.
 */
@Injectable()
export class JobHandlerExplorer implements OnModuleInit {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly moduleRef: ModuleRef,
    private readonly registry: JobHandlerRegistry,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
  ) {}

  onModuleInit(): void {
    const seen = new Map<string, string>();
    for (const wrapper of this.discovery.getProviders()) {
      if (wrapper.isAlias) continue;
      const perDelivery = !wrapper.isDependencyTreeStatic() || wrapper.isTransient;
      const type = handlerClass(wrapper, perDelivery);
      const metadata = getJobHandlerMetadata(type);
      if (!type || !metadata) continue;
      const className = type.name;
      const { name: jobName, ...handlerOptions } = metadata;
      const first = seen.get(jobName);
      if (first) throw new CloudTasksConfigError(DUPLICATE_JOB_HANDLER(jobName, first, className));
      seen.set(jobName, className);

      const process = perDelivery ? (type.prototype as Partial<JobProcessor>).process : (wrapper.instance as Partial<JobProcessor>).process;
      if (typeof process !== 'function') throw new CloudTasksConfigError(HANDLER_WITHOUT_PROCESS(jobName, className));
      const queue = Object.hasOwn(this.options.queues, jobName) ? this.options.queues[jobName] : undefined;
      if (!queue) throw new CloudTasksConfigError(HANDLER_WITHOUT_QUEUE(jobName, className));
      const queueMax = queue.retryConfig.maxAttempts;
      const perJob = handlerOptions.maxAttempts;
      const attemptsProblem = perJob === undefined ? undefined : maxAttemptsProblem(perJob, queueMax);
      if (perJob !== undefined && attemptsProblem) {
        // NOTE: the rule is the one enqueue and the envelope parser apply; the message here names the decorator.
        throw new CloudTasksConfigError(
          maxAttemptsProblem(perJob, -1) ? HANDLER_MAX_ATTEMPTS_INVALID(jobName, className, attemptsProblem) : HANDLER_MAX_ATTEMPTS_ABOVE_QUEUE(jobName, className, perJob, queueMax),
        );
      }
      this.registry.register({ jobName, className, options: handlerOptions, queue, processorFor: this.processorFor(wrapper, perDelivery) });
    }
    for (const [jobName, queue] of Object.entries(this.options.queues)) {
      if (!seen.has(jobName)) this.logger.warn(QUEUE_WITHOUT_HANDLER(jobName, queue.name));
    }
    this.logger.log({ msg: 'job handlers registered', jobs: [...seen.keys()] });
  }

  private processorFor(wrapper: InstanceWrapper, perDelivery: boolean): RegisteredJobHandler['processorFor'] {
    if (!perDelivery) {
      const instance = wrapper.instance as JobProcessor;
      return () => instance;
    }
    // NOTE: as Nest does for request-scoped controllers: one context per request, the request registered as REQUEST.
    return (request) => {
      const contextId = ContextIdFactory.getByRequest(request as object);
      this.moduleRef.registerRequestByContextId(request, contextId);
      return this.moduleRef.resolve<JobProcessor>(wrapper.token, contextId, { strict: false });
    };
  }
}

/**
 * The class of a provider's instance: the instance's constructor for singletons (whatever built them), the class
 * itself for providers built per request (their instance does not exist yet).
 */
function handlerClass(wrapper: InstanceWrapper, perDelivery: boolean): Type<unknown> | undefined {
  if (!perDelivery) {
    const instance = wrapper.instance as object | undefined;
    return instance && typeof instance === 'object' ? (instance.constructor as Type<unknown>) : undefined;
  }
  // NOTE: for useFactory providers the metatype is the factory: only a class provider's metatype is its class.
  return wrapper.inject ? undefined : (wrapper.metatype as Type<unknown> | null) ?? undefined;
}
