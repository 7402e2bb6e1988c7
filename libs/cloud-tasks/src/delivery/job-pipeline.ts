import { Injectable } from '@nestjs/common';
import { JobEnvelopeParser } from '../envelope/job-envelope.parser.js';
import { JobHandlerRegistry } from '../handlers/job-handler.registry.js';
import { JobClaims } from '../idempotency/job-claims.js';
import { JobDelivery, type JobRoute } from './job-delivery.js';
import { Outcomes, type JobOutcome } from './job-outcome.js';
import { JobRunner } from './job.runner.js';
import { JobTelemetry } from '../telemetry/job-telemetry.js';

/** A delivery that does not come over HTTP (the inline and BullMQ transports): what its transport knows of it. */
export interface DirectDelivery {
  jobName: string;
  /** The envelope, as JSON bytes (what a Cloud Tasks task would carry). */
  body: Buffer;
  queueName: string;
  /** The transport's id of the job (a BullMQ job id, the inline task id). */
  taskName: string;
  retryCount: number;
  executionCount?: number;
  eta?: Date;
  /** What request-scoped handlers receive as `REQUEST`. */
  request: unknown;
  /** The task's headers (the trace context `add()` wrote travels in them). */
  headers?: Readonly<Record<string, string>>;
}

/** Why a direct delivery could not be handed to a processor at all (no handler for its job in this app). */
export class NoHandlerError extends Error {
  override readonly name = 'NoHandlerError';
}

/**
 * The steps every delivery goes through after its route and body are known: parse, claim, run, settle. The job
 * endpoint runs them as Nest's guard, interceptor and controller ({@link around}); other transports call
 * {@link deliver}, so a job means the same thing whatever brought it.
 */
@Injectable()
export class JobPipeline {
  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly parser: JobEnvelopeParser,
    private readonly claims: JobClaims,
    private readonly runner: JobRunner,
    private readonly telemetry: JobTelemetry,
  ) {}

  /**
   * Claims the delivery's key, runs it with `run` unless the claim answers, and settles the claim, inside the
   * delivery's CONSUMER span ({@link JobTelemetry}).
   */
  around(delivery: JobDelivery, run: () => Promise<JobOutcome>): Promise<JobOutcome> {
    return this.telemetry.traceDelivery(delivery, () => this.claimRunSettle(delivery, run));
  }

  private async claimRunSettle(delivery: JobDelivery, run: () => Promise<JobOutcome>): Promise<JobOutcome> {
    const claim = await this.claims.claim(delivery);
    delivery.set('claim', claim);
    if (!claim.run) return claim.outcome;
    let outcome: JobOutcome;
    try {
      outcome = await run();
    } catch (error) {
      // NOTE: a failure of the pipeline itself (not of the processor) frees the claim, so a retry can run the job.
      await this.claims.settle(delivery, claim, Outcomes.retry('internal error'));
      throw error;
    }
    await this.claims.settle(delivery, claim, outcome);
    return outcome;
  }

  /** Routes, parses, claims, runs and settles a delivery of another transport; resolves the outcome. */
  async deliver(input: DirectDelivery): Promise<JobOutcome> {
    const handler = this.registry.get(input.jobName);
    if (!handler) throw new NoHandlerError(`No @JobHandler('${input.jobName}') in this app: the job stays with its transport until one is deployed.`);
    const delivery = new JobDelivery(undefined, undefined, { 'content-type': 'application/json' });
    const route: JobRoute = {
      handler,
      queueName: input.queueName,
      taskName: input.taskName,
      retryCount: input.retryCount,
      executionCount: input.executionCount ?? input.retryCount,
      eta: input.eta,
      carrier: input.headers,
    };
    delivery.set('route', route);
    delivery.set('body', input.body);
    delivery.set('parsed', await this.parser.parse(input.body, 'application/json', route));
    try {
      return await this.around(delivery, async () => {
        const outcome = await this.runner.run(delivery, input.request);
        delivery.set('outcome', outcome);
        return outcome;
      });
    } finally {
      delivery.finish();
    }
  }
}
