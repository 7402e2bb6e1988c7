import { Injectable } from '@nestjs/common';
import type { JobHandlerOptions, JobProcessor } from '../interfaces/job.interface.js';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';

/** A discovered, validated handler. */
export interface RegisteredJobHandler {
  jobName: string;
  className: string;
  options: JobHandlerOptions;
  queue: QueueConfig;
  /**
   * The processor that runs one delivery: the singleton, or for a request-scoped handler (or one with request-scoped
   * dependencies) an instance built for this delivery, with `request` as its `REQUEST`.
   */
  processorFor(request: unknown): JobProcessor | Promise<JobProcessor>;
}

/** Job name → handler, filled at boot by the explorer. */
@Injectable()
export class JobHandlerRegistry {
  private readonly handlers = new Map<string, RegisteredJobHandler>();

  register(handler: RegisteredJobHandler): void {
    this.handlers.set(handler.jobName, handler);
  }

  get(jobName: string): RegisteredJobHandler | undefined {
    return this.handlers.get(jobName);
  }
}
