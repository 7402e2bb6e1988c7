import { JOB_OUTCOME_HEADER } from '../cloud-tasks.constants.js';
import type { JobEvent } from '../events/job-event.interface.js';
import type { JobDelivery } from './job-delivery.js';

/** How a delivery ended, as the endpoint answers it. */
export type JobOutcomeKind = 'success' | 'retry' | 'dead' | 'duplicate' | 'busy' | 'unavailable';

/** The answer of a delivery (`status`, `headers`, `body`) and what it means for the job. */
export interface JobOutcome {
  kind: JobOutcomeKind;
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Why a dead job died: `permanent` or `exhausted` (retryable error on the final attempt). */
  deadReason?: 'permanent' | 'exhausted';
  /** The processor's result on success. */
  result?: unknown;
  error?: string;
}

export const Outcomes = {
  success: (result: unknown): JobOutcome => ({ kind: 'success', status: 200, body: { success: true, result: result ?? null }, result: result ?? null }),
  retry: (error: string, body: Record<string, unknown> = { error, retryable: true }): JobOutcome => ({ kind: 'retry', status: 500, body, error }),
  /** Permanent failure: 202 + `X-Job-Outcome: dead`, Cloud Tasks deletes the task. */
  deadPermanent: (error: string): JobOutcome => ({
    kind: 'dead',
    deadReason: 'permanent',
    status: 202,
    headers: { [JOB_OUTCOME_HEADER]: 'dead' },
    body: { success: false, dead: true, error },
    error,
  }),
  /** Retryable failure on the final attempt: 500, Cloud Tasks gives up (the dead letter is already recorded). */
  deadExhausted: (error: string): JobOutcome => ({ kind: 'dead', deadReason: 'exhausted', status: 500, body: { error, retryable: true, dead: true }, error }),
  busy: (error: string): JobOutcome => ({ kind: 'busy', status: 409, body: { error, retryable: true }, error }),
  unavailable: (error: string): JobOutcome => ({ kind: 'unavailable', status: 503, body: { error, retryable: true }, error }),
} as const;

/** The lifecycle event of a delivery (payload values never included). */
export function deliveryEvent(delivery: JobDelivery, type: JobEvent['type'], fields: Partial<JobEvent> = {}): JobEvent {
  const route = delivery.get('route');
  const parsed = delivery.has('parsed') ? delivery.get('parsed') : undefined;
  return {
    type,
    jobName: route.handler.jobName,
    queue: route.queueName,
    taskName: route.taskName,
    idempotencyKey: parsed?.envelope?.idempotencyKey ?? '',
    attempt: route.retryCount + 1,
    trace: route.trace,
    ...(parsed?.envelope?.actor !== undefined ? { actor: parsed.envelope.actor } : {}),
    ...fields,
  };
}
