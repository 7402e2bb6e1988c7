import { Inject } from '@nestjs/common';
import { CLOUD_TASKS_MODULE_OPTIONS } from './cloud-tasks.module-definition.js';
import { DeadLetterStore } from './dead-letter/dead-letter-store.interface.js';
import { IdempotencyStore } from './idempotency/idempotency-store.interface.js';

/** Token of the resolved, defaulted options ({@link ResolvedCloudTasksOptions}). */
export const RESOLVED_OPTIONS = Symbol('CloudTasksResolvedOptions');
/** Token of the module's one `CloudTasksClient`. */
export const CLOUD_TASKS_CLIENT = Symbol('CloudTasksClient');
/** Token of the shared `@upstash/redis` client (undefined when Upstash is not configured). */
export const UPSTASH_REDIS = Symbol('CloudTasksUpstashRedis');

/** Injects the raw module options. */
export const InjectCloudTasksOptions = () => Inject(CLOUD_TASKS_MODULE_OPTIONS);
/** Injects the resolved options. */
export const InjectResolvedOptions = () => Inject(RESOLVED_OPTIONS);
/** Injects the module's `CloudTasksClient`. */
export const InjectCloudTasksClient = () => Inject(CLOUD_TASKS_CLIENT);
/** Injects the {@link IdempotencyStore} in use. */
export const InjectIdempotencyStore = () => Inject(IdempotencyStore);
/** Injects the {@link DeadLetterStore} in use. */
export const InjectDeadLetterStore = () => Inject(DeadLetterStore);
