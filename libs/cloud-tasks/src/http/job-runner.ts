import { Injectable, Logger } from '@nestjs/common';
import { JOB_OUTCOME_HEADER } from '../cloud-tasks.constants.js';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { DeadLetterService } from '../dead-letter/dead-letter.service.js';
import { JobEventBus } from '../events/job-event-bus.js';
import type { JobEvent } from '../events/job-event.interface.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { redactText } from '../utils/redact.js';
import { classifyError } from './error-classifier.js';
import { deliveryEvent, type JobDelivery, type JobOutcome } from './job-delivery.js';

/** Runs the processor of a checked delivery and turns what happened into the answer Cloud Tasks acts on. */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    private readonly deadLetters: DeadLetterService,
    private readonly events: JobEventBus,
  ) {}

  async run(delivery: JobDelivery): Promise<JobOutcome> {
    const { deadlineSeconds, abort } = delivery;
    const deadline = setTimeout(() => abort.abort(new Error(`Dispatch deadline of ${deadlineSeconds}s passed`)), deadlineSeconds * 1000);
    deadline.unref();
    try {
      if (delivery.invalid) return await this.dead(delivery, delivery.invalid, 'permanent');
      const { handler, context } = delivery;
      this.emit(delivery, 'started');
      let result: unknown;
      try {
        result = await handler.instance.process(delivery.data, context!);
      } catch (error) {
        const message = this.messageOf(delivery, error);
        if (classifyError(error, this.options.errorClassifier) === 'permanent') return await this.dead(delivery, message, 'permanent');
        if (context!.isFinalAttempt) return await this.dead(delivery, message, 'exhausted');
        this.emit(delivery, 'retrying', message);
        return { kind: 'retry', status: 500, body: { error: message, retryable: true }, error: message };
      }
      this.emit(delivery, 'completed');
      return { kind: 'success', status: 200, body: { success: true, result: result ?? null }, result: result ?? null };
    } finally {
      clearTimeout(deadline);
    }
  }

  /**
   * Records a dead letter, then answers: 202 + `X-Job-Outcome: dead` for permanent failures (Cloud Tasks deletes the
   * task), 500 on an exhausted final attempt (Cloud Tasks gives up). If the dead letter cannot be recorded, the job
   * is answered as retryable so that nothing is lost.
   */
  private async dead(delivery: JobDelivery, error: string, reason: 'permanent' | 'exhausted'): Promise<JobOutcome> {
    const envelope = delivery.envelope;
    try {
      await this.deadLetters.record({
        jobName: delivery.handler.jobName,
        queue: delivery.queueName,
        taskName: delivery.taskName,
        idempotencyKey: envelope?.idempotencyKey ?? `task:${delivery.taskName}`,
        payload: envelope ? envelope.data : null,
        error,
        reason,
        attempts: delivery.retryCount + 1,
        maxAttempts: envelope?.maxAttempts,
      });
    } catch (storeError) {
      this.logger.error({ msg: 'could not record dead letter; answering retryable so the job is not lost', jobName: delivery.handler.jobName, taskName: delivery.taskName, error: (storeError as Error).message });
      this.emit(delivery, 'retrying', `${error} (dead letter not recorded)`);
      return { kind: 'retry', status: 500, body: { error: `${error} (dead letter not recorded: will retry)`, retryable: true }, error };
    }
    this.emit(delivery, 'dead', error);
    if (reason === 'exhausted') {
      return { kind: 'dead', deadReason: reason, status: 500, body: { error, retryable: true, dead: true }, error };
    }
    return { kind: 'dead', deadReason: reason, status: 202, headers: { [JOB_OUTCOME_HEADER]: 'dead' }, body: { success: false, dead: true, error }, error };
  }

  private messageOf(delivery: JobDelivery, error: unknown): string {
    const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
    return redactText(text, delivery.envelope?.data, this.options.redactKeys).slice(0, 2000);
  }

  private emit(delivery: JobDelivery, type: JobEvent['type'], error?: string): void {
    const durationMs = type === 'started' ? undefined : Date.now() - delivery.startedAt;
    this.events.emit(deliveryEvent(delivery, type, { durationMs, error }));
  }
}
