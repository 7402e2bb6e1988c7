import type { DeadJobInput } from '../dead-letter/dead-letter.service.js';
import type { JobDelivery } from './job-delivery.js';

/** What a dead letter records of a delivery (payload kept for retry; the service masks what it shows). */
export function deadJobOf(delivery: JobDelivery, error: string, reason: DeadJobInput['reason']): DeadJobInput {
  const route = delivery.get('route');
  const envelope = delivery.get('parsed').envelope;
  return {
    jobName: route.handler.jobName,
    queue: route.queueName,
    taskName: route.taskName,
    idempotencyKey: envelope?.idempotencyKey ?? `task:${route.taskName}`,
    payload: envelope ? envelope.data : null,
    error,
    reason,
    attempts: route.retryCount + 1,
    maxAttempts: envelope?.maxAttempts,
    actor: envelope?.actor,
  };
}
