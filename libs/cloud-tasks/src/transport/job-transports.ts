import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { JobPipeline } from '../delivery/job-pipeline.js';
import { JobHandlerRegistry } from '../handlers/job-handler.registry.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { BullmqTransport } from './bullmq.transport.js';
import { CloudTasksTransport } from './cloud-tasks.transport.js';
import { InlineTransport } from './inline.transport.js';
import type { JobTransport, TransportName } from './job-transport.js';

/**
 * The transport of each job, from `transport.default` and `transport.jobs` (validated at boot): Cloud Tasks unless
 * told otherwise. Starts the BullMQ workers when `transport.bullmq` is configured, and stops them after the HTTP
 * server drained.
 */
@Injectable()
export class JobTransports implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly bullmq?: BullmqTransport;

  constructor(
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly cloudTasks: CloudTasksTransport,
    private readonly inline: InlineTransport,
    pipeline: JobPipeline,
    registry: JobHandlerRegistry,
  ) {
    const bullmq = options.transport.bullmq;
    if (bullmq) this.bullmq = new BullmqTransport(bullmq, pipeline, registry, options.queues);
  }

  /** The name of the transport `jobName` is routed to. */
  routeOf(jobName: string): TransportName {
    return this.options.transport.jobs[jobName] ?? this.options.transport.default;
  }

  /** The transport `jobName` is routed to. */
  for(jobName: string): JobTransport {
    switch (this.routeOf(jobName)) {
      case 'inline':
        return this.inline;
      case 'bullmq':
        // NOTE: the options check guarantees transport.bullmq wherever a job is routed to it.
        return this.bullmq!;
      default:
        return this.cloudTasks;
    }
  }

  /**
   * Jobs BullMQ still holds, per queue (empty without the BullMQ transport). All zero: BullMQ is drained, and
   * `transport.bullmq` can be removed.
   */
  async bullmqBacklog(): Promise<Record<string, number>> {
    return this.bullmq ? this.bullmq.counts() : {};
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.bullmq?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bullmq?.close();
  }
}
