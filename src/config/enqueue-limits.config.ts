import type { EnqueueRateLimits } from '@nest-cloud-tasks/core';
import type { UserJobPayload } from '../jobs/payloads/user-job.payload.js';
import type { JobName } from './queue.config.js';

/** The jobs a user starts by an action (a "sync now" button; the dev endpoint locally), as opposed to system jobs. */
export const USER_TRIGGERED_JOBS = ['calendar-sync', 'google-contacts-sync', 'adaptive-sync'] as const satisfies readonly JobName[];

/** Adds of each user-triggered job a user may make per minute. */
export const USER_JOBS_PER_MINUTE = 100;

/**
 * At most 100 adds per user per minute of each user-triggered job, counted in the Upstash database of the idempotency
 * records (so across instances), in memory locally. Follow-ups a job enqueues pass `skipRateLimit`.
 */
export const ENQUEUE_RATE_LIMITS: EnqueueRateLimits = Object.fromEntries(
  USER_TRIGGERED_JOBS.map((job) => [job, { limit: USER_JOBS_PER_MINUTE, window: '1m', key: (data: UserJobPayload) => data?.userId }]),
);
