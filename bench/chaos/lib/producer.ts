import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  BulkEnqueueError,
  CloudTasksModule,
  JobQueueService,
  MemoryIdempotencyStore,
  type QueueConfig,
} from '@nest-cloud-tasks/core';
import type { SentJob } from './accounting.js';

/** Where the producer enqueues and what the tasks point at. */
export interface ProducerSetup {
  projectId: string;
  location: string;
  serviceAccountEmail: string;
  /** The load balancer: the tasks' URL and OIDC audience. */
  serviceUrl: string;
  emulatorHost: string;
  queues: Record<string, QueueConfig>;
}

@Module({})
class ProducerModule {
  static forRoot(setup: ProducerSetup): DynamicModule {
    return {
      module: ProducerModule,
      imports: [
        CloudTasksModule.forRoot({
          ...setup,
          auth: { mode: 'verify-signature' },
          // NOTE: this context only enqueues; it never handles a delivery, so its store is never used.
          idempotency: { store: new MemoryIdempotencyStore() },
        }),
      ],
    };
  }
}

/** What `enqueue()` did. */
export interface EnqueueReport {
  /** seq → full task name. */
  taskNames: Map<number, string>;
  /** addBulk calls it took (1 when nothing failed). */
  rounds: number;
  /** Items that failed at least once before they were in (re-added with the same key). */
  retried: number;
}

/** Enqueues the suite's jobs with `JobQueueService.addBulk`, each with its explicit idempotency key. */
export class Producer {
  private constructor(private readonly context: INestApplicationContext) {}

  static async start(setup: ProducerSetup): Promise<Producer> {
    const context = await NestFactory.createApplicationContext(ProducerModule.forRoot(setup), { logger: ['error'] });
    await context.init();
    return new Producer(context);
  }

  /**
   * Adds the jobs; items that fail are added again with the same key (safe: the task name derives from it) until
   * all are in or `giveUpAfterMs` passes.
   */
  async enqueue(jobs: readonly SentJob[], { concurrency = 20, giveUpAfterMs = 60_000 } = {}): Promise<EnqueueReport> {
    const queue = this.context.get(JobQueueService);
    const taskNames = new Map<number, string>();
    const until = Date.now() + giveUpAfterMs;
    let pending = [...jobs];
    let rounds = 0;
    const retried = new Set<number>();
    while (pending.length > 0) {
      rounds++;
      const items = pending.map((job) => ({ name: job.jobName, data: { seq: job.seq }, options: { idempotencyKey: job.key } }));
      try {
        const results = await queue.addBulk(items, { concurrency });
        results.forEach((result, i) => taskNames.set(pending[i].seq, result.taskName));
        pending = [];
      } catch (error) {
        if (!(error instanceof BulkEnqueueError)) throw error;
        const failed: SentJob[] = [];
        error.results.forEach((result, i) => {
          if (result.ok) taskNames.set(pending[i].seq, result.job.taskName);
          else failed.push(pending[i]);
        });
        for (const job of failed) retried.add(job.seq);
        if (Date.now() > until) {
          const first = error.failures[0]?.error.message;
          throw new Error(`${failed.length} of ${jobs.length} jobs could not be enqueued within ${giveUpAfterMs} ms (first error: ${first})`);
        }
        pending = failed;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    return { taskNames, rounds, retried: retried.size };
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
