import { Inject } from '@nestjs/common';
import { DeadLetterStore } from './dead-letter/dead-letter-store.interface.js';
import { IdempotencyStore } from './idempotency/idempotency-store.interface.js';
import { EnqueueLimiter } from './rate-limit/enqueue-limiter.interface.js';

/** Token of the resolved, defaulted options ({@link ResolvedCloudTasksOptions}). */
export const RESOLVED_OPTIONS = Symbol('CloudTasksResolvedOptions');
/**
 * Token of a `CloudTasksClient` of your own (or a test double) for the module to use instead of building one; the
 * module provides `null` here by default. Get the client in use from `CloudTasksClientHost.client()`.
 */
export const CLOUD_TASKS_CLIENT = Symbol('CloudTasksClient');
/** Token of the shared `@upstash/redis` client (undefined when Upstash is not configured). */
export const UPSTASH_REDIS = Symbol('CloudTasksUpstashRedis');
/** The module's `JobQueueService`, for pieces that cannot import it without an import cycle (dead-letter retries). */
export const JOB_QUEUE = Symbol('CloudTasksJobQueue');

/** Injects the resolved options. */
export const InjectResolvedOptions = () => Inject(RESOLVED_OPTIONS);
/** Injects the {@link IdempotencyStore} in use. */
export const InjectIdempotencyStore = () => Inject(IdempotencyStore);
/** Injects the {@link DeadLetterStore} in use. */
export const InjectDeadLetterStore = () => Inject(DeadLetterStore);
/** Injects the {@link EnqueueLimiter} in use. */
export const InjectEnqueueLimiter = () => Inject(EnqueueLimiter);
