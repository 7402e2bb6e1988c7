import { Injectable, Logger } from '@nestjs/common';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import { JobEventBus } from '../events/job-event-bus.js';
import type { JobEvent } from '../events/job-event.interface.js';
import type { JobContext } from '../interfaces/job.interface.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { redactText } from '../utils/redact.js';
import { JobClaims } from '../idempotency/job-claims.js';
import { StoreOutbox } from '../idempotency/store-outbox.js';
import { TimeScale } from '../time/time-scale.js';
import { deadJobOf } from './dead-job.js';
import { classifyError } from './error-classifier.js';
import type { JobDelivery, ValidDelivery } from './job-delivery.js';
import { deliveryEvent, Outcomes, type JobOutcome } from './job-outcome.js';

/** Runs the processor of a checked delivery and turns what happened into the answer Cloud Tasks acts on. */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly deadLetters: DeadLetterService,
    private readonly events: JobEventBus,
    private readonly outbox: StoreOutbox,
    private readonly time: TimeScale,
    private readonly claims: JobClaims,
  ) {}

  /**
   * Runs the delivery's processor (`request` is what request-scoped handlers receive as `REQUEST`). Invalid deliveries
   * are dead-lettered without running.
   */
  async run(delivery: JobDelivery, request: unknown): Promise<JobOutcome> {
    const parsed = delivery.get('parsed');
    if (!parsed.valid) return this.dead(delivery, parsed.error, 'permanent');
    delivery.startDeadline(parsed.deadlineSeconds, this.time.real(parsed.deadlineSeconds * 1000));
    const context = contextOf(delivery, parsed);
    this.emit(delivery, 'started');
    let result: unknown;
    try {
      // NOTE: awaited only when they are promises: a singleton handler and a synchronous process() cost no microtask.
      const found = delivery.get('route').handler.processorFor(request);
      const processor = isThenable(found) ? await found : found;
      const returned = processor.process(parsed.data, context);
      result = isThenable(returned) ? await returned : returned;
    } catch (error) {
      const message = this.messageOf(parsed, error);
      if (classifyError(error, this.options.errorClassifier) === 'permanent') return this.dead(delivery, message, 'permanent');
      if (parsed.attempt.isFinal) return this.dead(delivery, message, 'exhausted');
      this.emit(delivery, 'retrying', message);
      return Outcomes.retry(message);
    }
    this.emit(delivery, 'completed');
    return Outcomes.success(result);
  }

  /**
   * Records a dead letter, then answers: 202 + `X-Job-Outcome: dead` for permanent failures (Cloud Tasks deletes the
   * task), 500 on an exhausted final attempt (Cloud Tasks gives up). If the dead letter cannot be recorded, the job
   * is answered as retryable so that nothing is lost.
   */
  private async dead(delivery: JobDelivery, error: string, reason: 'permanent' | 'exhausted'): Promise<JobOutcome> {
    const route = delivery.get('route');
    // NOTE: a delivery that lost its claim (it outlived its lease) must not declare dead a job another delivery holds.
    if (!(await this.claims.stillHolds(delivery, delivery.has('claim') ? delivery.get('claim') : undefined))) {
      this.emit(delivery, 'retrying', `${error} (claim lost: left to the delivery that holds the job)`);
      return Outcomes.retry(error);
    }
    const letter = this.deadLetters.create(deadJobOf(delivery, error, reason));
    try {
      await this.deadLetters.save(letter);
    } catch (storeError) {
      const failure = { jobName: route.handler.jobName, taskName: route.taskName, deadLetterId: letter.id, error: (storeError as Error).message };
      if (!delivery.get('parsed').attempt.isFinal) {
        this.logger.error({ msg: 'could not record dead letter; answering retryable so the job is not lost', ...failure });
        this.emit(delivery, 'retrying', `${error} (dead letter not recorded)`);
        return Outcomes.retry(error, { error: `${error} (dead letter not recorded: will retry)`, retryable: true });
      }
      // NOTE: no retry follows the final attempt: the letter must reach its store after this answer.
      this.logger.error({ msg: 'could not record dead letter on the final attempt; retrying in the background', ...failure });
      this.outbox.defer(`dead letter ${letter.id}`, () => this.deadLetters.save(letter));
    }
    this.emit(delivery, 'dead', error);
    return reason === 'exhausted' ? Outcomes.deadExhausted(error) : Outcomes.deadPermanent(error);
  }

  private messageOf(parsed: ValidDelivery, error: unknown): string {
    const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
    return redactText(text, parsed.envelope.data, this.options.redactKeys).slice(0, 2000);
  }

  private emit(delivery: JobDelivery, type: JobEvent['type'], error?: string): void {
    const durationMs = type === 'started' ? undefined : Date.now() - delivery.receivedAt;
    this.events.emit(deliveryEvent(delivery, type, { durationMs, error }));
  }
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

/** The {@link JobContext} a processor receives: the delivery as Cloud Tasks describes it, and its envelope. */
function contextOf(delivery: JobDelivery, parsed: ValidDelivery): JobContext {
  const route = delivery.get('route');
  const { attempt, maxAttempts, isFinal } = parsed.attempt;
  return {
    jobName: route.handler.jobName,
    queueName: route.queueName,
    taskName: route.taskName,
    idempotencyKey: parsed.envelope.idempotencyKey,
    retryCount: route.retryCount,
    executionCount: route.executionCount,
    attempt,
    maxAttempts,
    isFinalAttempt: isFinal,
    eta: route.eta ?? new Date(delivery.receivedAt),
    previousResponse: route.previousResponse,
    retryReason: route.retryReason,
    enqueuedAt: new Date(parsed.envelope.enqueuedAt),
    ...(parsed.envelope.actor !== undefined ? { actor: parsed.envelope.actor } : {}),
    schedule: parsed.envelope.schedule ? { id: parsed.envelope.schedule.id, scheduleTime: new Date(parsed.envelope.schedule.scheduleTime) } : undefined,
    // NOTE: a getter, so the AbortController, deadline timer and connection listener exist only if the job reads it.
    get signal() {
      return delivery.signal;
    },
  };
}
