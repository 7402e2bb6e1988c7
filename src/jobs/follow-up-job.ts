import type { JobName } from '../config/queue.config.js';
import type { JobPayloadMap } from './payloads/index.js';

/**
 * A job a processor asks to have enqueued after it, shaped like a `JobQueueService.addBulk()` item
 * (`{ name, data, options }`), so whoever runs the processor can enqueue it as is.
 */
export type FollowUpJob = {
  [N in JobName]: { name: N; data: JobPayloadMap[N]; options?: { delay: number } };
}[JobName];
