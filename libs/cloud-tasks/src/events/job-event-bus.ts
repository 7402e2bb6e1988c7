import { Injectable, Logger } from '@nestjs/common';
import type { JobEvent, JobEventListener } from './job-event.interface.js';

/**
 * Publishes job lifecycle events (enqueued, started, completed, duplicate, retrying, dead) to subscribers, e.g. to
 * feed metrics. A listener that throws is logged and never affects the job.
 */
@Injectable()
export class JobEventBus {
  private readonly logger = new Logger('CloudTasks');
  private readonly listeners = new Set<JobEventListener>();

  /** Subscribes; returns the function that unsubscribes. */
  subscribe(listener: JobEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: JobEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ msg: 'job event listener failed', event: event.type, error: (error as Error).message });
      }
    }
  }
}
