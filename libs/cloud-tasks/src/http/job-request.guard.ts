import { BadRequestException, Injectable, NotFoundException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CloudTasksHeaders, DEFAULT_DISPATCH_DEADLINE_SECONDS } from '../cloud-tasks.constants.js';
import { JobHandlerRegistry } from '../handlers/job-handler.registry.js';
import type { JobContext } from '../interfaces/job.interface.js';
import { checkEnvelope, decodeBody, parseJsonSafely, validatePayload, type ParseResult } from './envelope.parser.js';
import { headerValue, JOB_DELIVERY, type JobDelivery, type JobRequest } from './job-delivery.js';

/**
 * Step 2–3 of the job endpoint, after authentication: the job must have a handler (404 otherwise, which Cloud Tasks
 * retries), the queue header must name its queue (400), then the envelope and payload are checked. A bad envelope or
 * payload is not an error here: the delivery is marked invalid and the controller dead-letters it (202).
 */
@Injectable()
export class JobRequestGuard implements CanActivate {
  constructor(protected readonly registry: JobHandlerRegistry) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<JobRequest>();
    const jobName = request.params.jobName ?? '';
    const handler = this.registry.get(jobName);
    if (!handler) throw new NotFoundException(`No handler for job "${jobName.slice(0, 100)}" in this service. Cloud Tasks will retry; deploy a @JobHandler('${jobName.slice(0, 100)}').`);
    const queueName = headerValue(request, CloudTasksHeaders.QueueName);
    if (!queueName) throw new BadRequestException(`Missing ${CloudTasksHeaders.QueueName} header: job requests come from Cloud Tasks.`);
    if (queueName !== handler.queue.name) {
      throw new BadRequestException(`Queue "${queueName.slice(0, 100)}" is not the queue of job "${jobName}" (expected "${handler.queue.name}").`);
    }
    const delivery: JobDelivery = {
      handler,
      queueName,
      taskName: headerValue(request, CloudTasksHeaders.TaskName) ?? 'unknown',
      retryCount: nonNegativeInt(headerValue(request, CloudTasksHeaders.RetryCount)),
      trace: headerValue(request, 'x-cloud-trace-context')?.split('/')[0],
      startedAt: Date.now(),
      abort: new AbortController(),
      deadlineSeconds: handler.queue.dispatchDeadline ?? DEFAULT_DISPATCH_DEADLINE_SECONDS,
    };
    request[JOB_DELIVERY] = delivery;
    delivery.invalid = await this.parse(request, delivery);
    return true;
  }

  /** Parses the body into the delivery; returns why it is invalid, if it is. */
  protected async parse(request: JobRequest, delivery: JobDelivery): Promise<string | undefined> {
    const contentType = headerValue(request, 'content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) return `Content-Type must be application/json, got "${contentType.slice(0, 100)}"`;
    let parsed: ParseResult<unknown> = { ok: true, value: request.body };
    if (request.rawBody) {
      const text = decodeBody(request.rawBody);
      if (!text.ok) return text.error;
      parsed = parseJsonSafely(text.value);
    }
    if (!parsed.ok) return parsed.error;
    const envelope = checkEnvelope(parsed.value, delivery.handler.jobName);
    if (!envelope.ok) return envelope.error;
    delivery.envelope = envelope.value;
    delivery.context = this.contextOf(request, delivery);
    const payloadClass = delivery.handler.options.payload;
    if (payloadClass) {
      const payload = await validatePayload(payloadClass, envelope.value.data);
      if (!payload.ok) return payload.error;
      delivery.data = payload.value;
    } else {
      delivery.data = envelope.value.data;
    }
    const { attempt, maxAttempts } = delivery.context;
    if (maxAttempts !== -1 && attempt > maxAttempts) return `Attempt ${attempt} exceeds the job's maxAttempts ${maxAttempts}`;
    return undefined;
  }

  /** Builds the {@link JobContext} from the Cloud Tasks headers and the envelope. */
  protected contextOf(request: JobRequest, delivery: JobDelivery): JobContext {
    const envelope = delivery.envelope!;
    const { handler, retryCount } = delivery;
    const maxAttempts = envelope.maxAttempts ?? handler.options.maxAttempts ?? handler.queue.retryConfig.maxAttempts;
    const etaSeconds = Number(headerValue(request, CloudTasksHeaders.Eta));
    const previous = Number(headerValue(request, CloudTasksHeaders.PreviousResponse));
    delivery.deadlineSeconds = envelope.dispatchDeadline ?? delivery.deadlineSeconds;
    return {
      jobName: handler.jobName,
      queueName: delivery.queueName,
      taskName: delivery.taskName,
      idempotencyKey: envelope.idempotencyKey,
      retryCount,
      executionCount: nonNegativeInt(headerValue(request, CloudTasksHeaders.ExecutionCount)),
      attempt: retryCount + 1,
      maxAttempts,
      isFinalAttempt: maxAttempts !== -1 && retryCount + 1 >= maxAttempts,
      eta: Number.isFinite(etaSeconds) && etaSeconds > 0 ? new Date(etaSeconds * 1000) : new Date(delivery.startedAt),
      previousResponse: Number.isInteger(previous) && previous > 0 ? previous : undefined,
      retryReason: headerValue(request, CloudTasksHeaders.RetryReason) || undefined,
      enqueuedAt: new Date(envelope.enqueuedAt),
      signal: delivery.abort.signal,
    };
  }
}

function nonNegativeInt(value: string | undefined): number {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : 0;
}
