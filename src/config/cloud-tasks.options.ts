import { parseTransportRouting, type CloudTasksModuleOptions } from '@nest-cloud-tasks/core';
import { ENQUEUE_RATE_LIMITS } from './enqueue-limits.config.js';
import { QUEUE_CONFIGS } from './queue.config.js';
import { SCHEDULE_CONFIGS } from './schedule.config.js';

/** What the factory reads configuration through: Nest's `ConfigService`, or {@link envReader} over a parsed environment. */
export interface ConfigReader {
  get<T = string>(key: string): T | undefined;
  getOrThrow<T = string>(key: string): T;
}

/** A {@link ConfigReader} over an already parsed environment (the CLI's), nothing else. */
export function envReader(env: object): ConfigReader {
  const values = env as Record<string, unknown>;
  return {
    get: <T>(key: string) => values[key] as T | undefined,
    getOrThrow: <T>(key: string) => {
      if (values[key] === undefined) throw new Error(`Configuration key "${key}" does not exist`);
      return values[key] as T;
    },
  };
}

/** Builds the CloudTasksModule options from configuration; no fallback to any real project. */
export function cloudTasksOptionsFactory(config: ConfigReader): CloudTasksModuleOptions {
  const upstashUrl = config.get<string>('UPSTASH_REDIS_REST_URL');
  const upstashToken = config.get<string>('UPSTASH_REDIS_REST_TOKEN');
  return {
    projectId: config.getOrThrow<string>('GCP_PROJECT_ID'),
    location: config.getOrThrow<string>('GCP_REGION'),
    serviceUrl: config.getOrThrow<string>('CLOUD_RUN_URL'),
    serviceAccountEmail: config.getOrThrow<string>('SERVICE_ACCOUNT_EMAIL'),
    queues: QUEUE_CONFIGS,
    enqueueRateLimits: ENQUEUE_RATE_LIMITS,
    schedules: SCHEDULE_CONFIGS,
    emulatorHost: config.get<string>('CLOUD_TASKS_EMULATOR_HOST'),
    auth: {
      mode: config.get('JOBS_AUTH_MODE') ?? 'verify-signature',
      ...(config.get('OIDC_AUDIENCE') ? { audience: config.get<string>('OIDC_AUDIENCE') } : {}),
      ...(config.get('OIDC_CERTS_URL') ? { certsUrl: config.get<string>('OIDC_CERTS_URL') } : {}),
      ...(config.get('JOBS_ALLOWED_SERVICE_ACCOUNTS') ? { allowedServiceAccounts: config.get<string[]>('JOBS_ALLOWED_SERVICE_ACCOUNTS') } : {}),
    },
    transport: {
      ...parseTransportRouting(config.get<string>('JOB_TRANSPORTS')),
      ...(config.get('BULLMQ_REDIS_URL') ? { bullmq: { connection: config.get<string>('BULLMQ_REDIS_URL')! } } : {}),
    },
    ...(config.get('ALLOW_MEMORY_STORES') ? { allowMemoryStores: config.get<'single-instance'>('ALLOW_MEMORY_STORES') } : {}),
    idempotency: {
      ...(upstashUrl && upstashToken ? { upstash: { url: upstashUrl, token: upstashToken } } : {}),
      failMode: config.get('IDEMPOTENCY_FAIL_MODE') ?? 'open',
      ...(config.get('IDEMPOTENCY_TTL_SECONDS') ? { ttlSeconds: config.get<number>('IDEMPOTENCY_TTL_SECONDS') } : {}),
    },
  };
}
