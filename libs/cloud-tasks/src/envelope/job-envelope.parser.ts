import { Injectable } from '@nestjs/common';
import { DEFAULT_DISPATCH_DEADLINE_SECONDS } from '../cloud-tasks.constants.js';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import type { JobAttempt, JobRoute, ParsedDelivery } from '../delivery/job-delivery.js';
import type { JobEnvelope } from '../interfaces/job.interface.js';
import { checkEnvelope, decodeBody, parseJsonSafely, validatePayload } from './envelope.rules.js';

const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Turns a job request's body into a delivery to run, or into the reason it can never run (dead-lettered, not
 * retried): `Content-Type` must be JSON, the body strict UTF-8 JSON without prototype keys or absurd nesting, the
 * envelope `{ jobName, data, idempotencyKey, enqueuedAt }` for this job, the payload valid against the handler's
 * class, and the attempt within the job's cap.
 */
@Injectable()
export class JobEnvelopeParser {
  constructor(@InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions) {}

  async parse(body: Buffer, contentType: string | undefined, route: JobRoute): Promise<ParsedDelivery> {
    const invalid = (error: string, envelope?: JobEnvelope): ParsedDelivery => ({ valid: false, error, envelope, ...this.limits(route, envelope) });
    const type = contentType ?? '';
    if (!JSON_CONTENT_TYPE.test(type)) return invalid(`Content-Type must be application/json, got "${type.slice(0, 100)}"`);
    const text = decodeBody(body);
    if (!text.ok) return invalid(text.error);
    const json = parseJsonSafely(text.value, this.options.payloadLimits);
    if (!json.ok) return invalid(json.error);
    const checked = checkEnvelope(json.value, route.handler.jobName, route.handler.queue.retryConfig.maxAttempts);
    if (!checked.ok) return invalid(checked.error);
    const envelope = checked.value;
    const payloadClass = route.handler.options.payload;
    let data: unknown = envelope.data;
    if (payloadClass) {
      const payload = await validatePayload(payloadClass, envelope.data);
      if (!payload.ok) return invalid(payload.error, envelope);
      data = payload.value;
    }
    const limits = this.limits(route, envelope);
    const { attempt, maxAttempts } = limits.attempt;
    if (maxAttempts !== -1 && attempt > maxAttempts) return invalid(`Attempt ${attempt} exceeds the job's maxAttempts ${maxAttempts}`, envelope);
    return { valid: true, envelope, data, ...limits };
  }

  /** The attempt cap and dispatch deadline: the envelope's, else the handler's / queue's. */
  private limits(route: JobRoute, envelope?: JobEnvelope): { attempt: JobAttempt; deadlineSeconds: number } {
    const { handler, retryCount } = route;
    const maxAttempts = envelope?.maxAttempts ?? handler.options.maxAttempts ?? handler.queue.retryConfig.maxAttempts;
    const attempt = retryCount + 1;
    return {
      attempt: { attempt, maxAttempts, isFinal: maxAttempts !== -1 && attempt >= maxAttempts },
      deadlineSeconds: envelope?.dispatchDeadline ?? handler.queue.dispatchDeadline ?? DEFAULT_DISPATCH_DEADLINE_SECONDS,
    };
  }
}
