import { Logger, type Provider } from '@nestjs/common';
import { Redis } from '@upstash/redis';
import {
  AUTH_NONE_OUTSIDE_LOCAL_MODE,
  CLOUD_RUN_IAM_WARNING,
  MEMORY_IDEMPOTENCY_WARNING,
  MEMORY_STORES_OPTED_IN,
  MEMORY_STORES_OUTSIDE_LOCAL_MODE,
  LEASE_TOO_LONG,
  INLINE_OUTSIDE_LOCAL_MODE,
  NON_GOOGLE_CERTS_URL,
} from './cloud-tasks.messages.js';
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
import { GOOGLE_CERTS_URL } from './auth/signing-certs.js';
import { TokenVerifier } from './auth/token-verifier.js';
import { CLOUD_TASKS_LOCAL_MODE, localModeOf, type LocalMode } from './options/local-mode.js';
import { EnqueueLimiter } from './rate-limit/enqueue-limiter.interface.js';
import { MemoryEnqueueLimiter } from './rate-limit/memory-enqueue.limiter.js';
import { UpstashEnqueueLimiter } from './rate-limit/upstash-enqueue.limiter.js';

const logger = new Logger('CloudTasks');

/** Local mode from the options (the testing module replaces it). */
export const localModeProvider: Provider = {
  provide: CLOUD_TASKS_LOCAL_MODE,
  inject: [CLOUD_TASKS_MODULE_OPTIONS],
  useFactory: (options: CloudTasksModuleOptions): LocalMode => localModeOf(options),
};

export const resolvedOptionsProvider: Provider = {
  provide: RESOLVED_OPTIONS,
  inject: [CLOUD_TASKS_MODULE_OPTIONS, CLOUD_TASKS_LOCAL_MODE],
  useFactory: (options: CloudTasksModuleOptions, mode: LocalMode): ResolvedCloudTasksOptions => {
    const resolved = resolveCloudTasksOptions(options);
    if (resolved.auth.mode === 'none' && !mode.local) throw new CloudTasksConfigError(AUTH_NONE_OUTSIDE_LOCAL_MODE);
    const inline = Object.entries(resolved.transport.jobs).filter(([, t]) => t === 'inline').map(([job]) => job);
    if (!mode.local && inline.length) throw new CloudTasksConfigError(INLINE_OUTSIDE_LOCAL_MODE(inline));
    if (resolved.auth.mode === 'cloud-run-iam') logger.warn(CLOUD_RUN_IAM_WARNING);
    if (resolved.auth.mode === 'none') logger.warn('auth.mode "none": the job endpoint accepts unauthenticated requests (local mode only).');
    const lease = resolved.idempotency.leaseSeconds;
    const tight = Object.entries(resolved.queues).filter(([, q]) => q.dispatchDeadline !== undefined && lease > q.dispatchDeadline / 2).map(([job]) => job);
    if (tight.length) logger.warn(LEASE_TOO_LONG(lease, tight));
    const certsUrl = resolved.auth.certsUrl;
    if (!mode.local && resolved.auth.mode !== 'none' && certsUrl && certsUrl !== GOOGLE_CERTS_URL) logger.warn(NON_GOOGLE_CERTS_URL(certsUrl));
    return resolved;
  },
};

/**
 * Memory stores are for local mode; against real Cloud Tasks only with `allowMemoryStores: 'single-instance'`, loudly.
 * Throws the boot error otherwise.
 */
function allowMemory(which: string, options: CloudTasksModuleOptions, mode: LocalMode): void {
  if (mode.local) return;
  if (options.allowMemoryStores !== 'single-instance') throw new CloudTasksConfigError(MEMORY_STORES_OUTSIDE_LOCAL_MODE(which));
  logger.warn(MEMORY_STORES_OPTED_IN);
}

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
  inject: [CLOUD_TASKS_MODULE_OPTIONS, UPSTASH_REDIS, CLOUD_TASKS_LOCAL_MODE],
  useFactory: (options: CloudTasksModuleOptions, redis: Redis | null, mode: LocalMode): IdempotencyStore => {
    const given = options.idempotency?.store;
    if (given) {
      if (given instanceof MemoryIdempotencyStore) allowMemory('Idempotency records', options, mode);
      return given;
    }
    if (redis) {
      logger.log({ msg: 'idempotency records in Upstash Redis', url: options.idempotency?.upstash?.url });
      return new UpstashIdempotencyStore(redis);
    }
    allowMemory('Idempotency records', options, mode);
    if (mode.local) logger.warn(MEMORY_IDEMPOTENCY_WARNING);
    return new MemoryIdempotencyStore();
  },
};

export const deadLetterStoreProvider: Provider = {
  provide: DeadLetterStore,
  inject: [CLOUD_TASKS_MODULE_OPTIONS, UPSTASH_REDIS, RESOLVED_OPTIONS, CLOUD_TASKS_LOCAL_MODE],
  useFactory: (options: CloudTasksModuleOptions, redis: Redis | null, resolved: ResolvedCloudTasksOptions, mode: LocalMode): DeadLetterStore => {
    const given = options.deadLetters?.store;
    if (given) {
      if (given instanceof MemoryDeadLetterStore) allowMemory('Dead letters', options, mode);
      return given;
    }
    if (redis) return new UpstashDeadLetterStore(redis, { ttlSeconds: resolved.deadLetterTtlSeconds });
    allowMemory('Dead letters', options, mode);
    return new MemoryDeadLetterStore();
  },
};

/**
 * Counts enqueue limits in the Upstash database of the idempotency records when there is one (shared by every
 * instance), in memory otherwise: accepted in local mode, or with `allowMemoryStores` when a job has a limit.
 */
export const enqueueLimiterProvider: Provider = {
  provide: EnqueueLimiter,
  inject: [CLOUD_TASKS_MODULE_OPTIONS, UPSTASH_REDIS, CLOUD_TASKS_LOCAL_MODE],
  useFactory: (options: CloudTasksModuleOptions, redis: Redis | null, mode: LocalMode): EnqueueLimiter => {
    if (redis) return new UpstashEnqueueLimiter(redis);
    if (Object.keys(options.enqueueRateLimits ?? {}).length) allowMemory('Enqueue limits', options, mode);
    return new MemoryEnqueueLimiter();
  },
};
