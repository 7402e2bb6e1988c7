import { Injectable } from '@nestjs/common';
import type { JobHandlerOptions, JobProcessor } from '../interfaces/job.interface.js';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';

/** A discovered, validated handler. */
export interface RegisteredJobHandler {
  jobName: string;
  className: string;
  instance: JobProcessor;
  options: JobHandlerOptions;
  queue: QueueConfig;
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

  all(): RegisteredJobHandler[] {
    return [...this.handlers.values()];
  }
}
