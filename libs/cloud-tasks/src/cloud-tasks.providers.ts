import { Logger, type Provider } from '@nestjs/common';
import { Redis } from '@upstash/redis';
import { CLOUD_RUN_IAM_WARNING, AUTH_NONE_IN_PRODUCTION, MEMORY_IDEMPOTENCY_WARNING } from './cloud-tasks.messages.js';
import { CLOUD_TASKS_MODULE_OPTIONS } from './cloud-tasks.module-definition.js';
import { CLOUD_TASKS_CLIENT, RESOLVED_OPTIONS, UPSTASH_REDIS } from './cloud-tasks.tokens.js';
import { DeadLetterStore } from './dead-letter/dead-letter-store.interface.js';
import { MemoryDeadLetterStore } from './dead-letter/memory-dead-letter.store.js';
import { UpstashDeadLetterStore } from './dead-letter/upstash-dead-letter.store.js';
import { CloudTasksConfigError } from './errors/cloud-tasks-config.error.js';
import { IdempotencyStore } from './idempotency/idempotency-store.interface.js';
import { MemoryIdempotencyStore } from './idempotency/memory-idempotency.store.js';
import { UpstashIdempotencyStore } from './idempotency/upstash-idempotency.store.js';
import type { CloudTasksModuleOptions } from './interfaces/module-options.interface.js';
import { resolveCloudTasksOptions, type ResolvedCloudTasksOptions } from './options/resolved-options.js';
import { OidcTokenVerifier } from './auth/oidc-token.verifier.js';
import { TokenVerifier } from './auth/token-verifier.js';

const logger = new Logger('CloudTasks');

export const resolvedOptionsProvider: Provider = {
  provide: RESOLVED_OPTIONS,
  inject: [CLOUD_TASKS_MODULE_OPTIONS],
  useFactory: (options: CloudTasksModuleOptions): ResolvedCloudTasksOptions => {
    const resolved = resolveCloudTasksOptions(options);
    if (resolved.auth.mode === 'none' && process.env.NODE_ENV === 'production') throw new CloudTasksConfigError(AUTH_NONE_IN_PRODUCTION);
    if (resolved.auth.mode === 'cloud-run-iam') logger.warn(CLOUD_RUN_IAM_WARNING);
    if (resolved.auth.mode === 'none') logger.warn('auth.mode "none": the job endpoint accepts unauthenticated requests (local runs only).');
    return resolved;
  },
};

/** No client of your own under `CLOUD_TASKS_CLIENT`: the module builds one on first use (`CloudTasksClientHost`). */
export const clientProvider: Provider = { provide: CLOUD_TASKS_CLIENT, useValue: null };

/** The default token verifier; replace it by providing your own under `TokenVerifier`. */
export const tokenVerifierProvider: Provider = { provide: TokenVerifier, useClass: OidcTokenVerifier };

/** One `@upstash/redis` client shared by the stores (null when Upstash is not configured). */
export const upstashRedisProvider: Provider = {
  provide: UPSTASH_REDIS,
  inject: [CLOUD_TASKS_MODULE_OPTIONS],
  useFactory: (options: CloudTasksModuleOptions): Redis | null => {
    const upstash = options.idempotency?.upstash;
    // NOTE: fail fast (one quick retry) so an unreachable store turns into failMode behaviour in ms, not ~4 s.
    return upstash ? new Redis({ url: upstash.url, token: upstash.token, retry: { retries: 1, backoff: () => 50 } }) : null;
  },
};

export const idempotencyStoreProvider: Provider = {
  provide: IdempotencyStore,
  inject: [CLOUD_TASKS_MODULE_OPTIONS, UPSTASH_REDIS],
  useFactory: (options: CloudTasksModuleOptions, redis: Redis | null): IdempotencyStore => {
    if (options.idempotency?.store) return options.idempotency.store;
    if (redis) {
      logger.log({ msg: 'idempotency records in Upstash Redis', url: options.idempotency?.upstash?.url });
      return new UpstashIdempotencyStore(redis);
    }
    logger.warn(MEMORY_IDEMPOTENCY_WARNING);
    return new MemoryIdempotencyStore();
  },
};

export const deadLetterStoreProvider: Provider = {
  provide: DeadLetterStore,
  inject: [CLOUD_TASKS_MODULE_OPTIONS, UPSTASH_REDIS, RESOLVED_OPTIONS],
  useFactory: (options: CloudTasksModuleOptions, redis: Redis | null, resolved: ResolvedCloudTasksOptions): DeadLetterStore => {
    if (options.deadLetters?.store) return options.deadLetters.store;
    return redis ? new UpstashDeadLetterStore(redis, { ttlSeconds: resolved.deadLetterTtlSeconds }) : new MemoryDeadLetterStore();
  },
};
