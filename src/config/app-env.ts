import { parseTransportRouting } from '@nest-cloud-tasks/core';

/**
 * The example service's configuration, read from the environment (and `.env`, see `.env.example`).
 * Every variable is documented there and in the README.
 */
export interface AppEnv {
  /**
   * Trimmed and lower-cased; `production` on Cloud Run (`K_SERVICE` set) whatever the variable says. Production makes
   * the GCP settings required and logs JSON by default; local mode (below), not NODE_ENV, decides what is unsafe.
   */
  NODE_ENV: string;
  /** `json` (one object per line, for Cloud Logging; default with NODE_ENV=production) or `pretty`. */
  LOG_FORMAT: 'json' | 'pretty';
  PORT: number;
  /** `express` (default) or `fastify`: the HTTP adapter the service runs on. */
  HTTP_ADAPTER: 'express' | 'fastify';
  GCP_PROJECT_ID?: string;
  GCP_REGION?: string;
  CLOUD_RUN_URL?: string;
  SERVICE_ACCOUNT_EMAIL?: string;
  CLOUD_TASKS_EMULATOR_HOST?: string;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  JOBS_AUTH_MODE?: 'verify-signature' | 'cloud-run-iam' | 'none';
  OIDC_AUDIENCE?: string;
  OIDC_CERTS_URL?: string;
  JOBS_ALLOWED_SERVICE_ACCOUNTS?: string[];
  IDEMPOTENCY_FAIL_MODE?: 'open' | 'closed';
  IDEMPOTENCY_TTL_SECONDS?: number;
  /** `single-instance`: keep idempotency records and dead letters in memory against real Cloud Tasks (lost on restart). */
  ALLOW_MEMORY_STORES?: 'single-instance';
  /**
   * Which transport each job uses while migrating from BullMQ, e.g. `calendar-sync=bullmq,*=cloud-tasks` (default:
   * every job on Cloud Tasks). A rollback is one change of this variable.
   */
  JOB_TRANSPORTS?: string;
  /** The BullMQ Redis (`redis://…`): while set, a worker drains the BullMQ queues of every job, whatever its route. */
  BULLMQ_REDIS_URL?: string;
  EMULATOR_GRPC_PORT: number;
  EMULATOR_HTTP_PORT: number;
  EMULATOR_TIME_SCALE: number;
  ENABLE_DEV_ENDPOINTS: boolean;
  /**
   * Proxies in front of the service whose `X-Forwarded-For` entry is trusted as the client's address (what logs name
   * as `ip`, e.g. for refused job tokens). Default 1 on Cloud Run (its front end appends the caller's address), else 0.
   */
  TRUST_PROXY_HOPS?: number;
  /** Serve the jobs dashboard (default: on in local mode, where it is open; off otherwise). */
  JOBS_DASHBOARD: boolean;
  /** Its path (default `_jobs`). */
  JOBS_DASHBOARD_PATH?: string;
  /** Emails allowed on the dashboard, verified from IAP's header or a Google ID token (outside local mode, one is required). */
  JOBS_DASHBOARD_ALLOW?: string[];
  /** IAP's audience (`/projects/NUMBER/global/backendServices/ID` or `/projects/NUMBER/apps/PROJECT_ID`). */
  JOBS_DASHBOARD_IAP_AUDIENCE?: string;
  /** Audience of a Google ID token in `Authorization: Bearer`. */
  JOBS_DASHBOARD_OIDC_AUDIENCE?: string;
  /** Where that token's signing certs come from (default Google's; a test issuer's in tests). */
  JOBS_DASHBOARD_OIDC_CERTS_URL?: string;
  /** Secret of the dashboard's CSRF tokens, for several instances without session affinity (≥ 32 characters). */
  JOBS_DASHBOARD_CSRF_SECRET?: string;
}

/** Variables production cannot run without. */
export const REQUIRED_IN_PRODUCTION = ['GCP_PROJECT_ID', 'GCP_REGION', 'CLOUD_RUN_URL', 'SERVICE_ACCOUNT_EMAIL'] as const;

/** Thrown when the environment is unusable; the message lists every problem. */
export class AppEnvError extends Error {
  override readonly name = 'AppEnvError';
}

/** Parses and checks the environment. In production, missing GCP settings fail fast, all listed at once. */
export function loadAppEnv(source: NodeJS.ProcessEnv = process.env): AppEnv {
  const problems: string[] = [];
  const str = (name: string) => (source[name]?.trim() ? source[name]!.trim() : undefined);
  const int = (name: string, fallback: number, min = 0, max = 65_535) => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const raw = str(name);
    if (raw !== undefined && !allowed.includes(raw as T)) problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return raw as T | undefined;
  };
  // NOTE: Cloud Run sets K_SERVICE, and does not set NODE_ENV: there the service is in production whatever NODE_ENV says.
  const nodeEnv = str('K_SERVICE') ? 'production' : (str('NODE_ENV')?.toLowerCase() ?? 'development');
  const env: AppEnv = {
    NODE_ENV: nodeEnv,
    LOG_FORMAT: oneOf('LOG_FORMAT', ['json', 'pretty'] as const) ?? (nodeEnv === 'production' ? 'json' : 'pretty'),
    PORT: int('PORT', 3000),
    HTTP_ADAPTER: oneOf('HTTP_ADAPTER', ['express', 'fastify'] as const) ?? 'express',
    GCP_PROJECT_ID: str('GCP_PROJECT_ID'),
    GCP_REGION: str('GCP_REGION'),
    CLOUD_RUN_URL: str('CLOUD_RUN_URL'),
    SERVICE_ACCOUNT_EMAIL: str('SERVICE_ACCOUNT_EMAIL'),
    CLOUD_TASKS_EMULATOR_HOST: str('CLOUD_TASKS_EMULATOR_HOST'),
    UPSTASH_REDIS_REST_URL: str('UPSTASH_REDIS_REST_URL'),
    UPSTASH_REDIS_REST_TOKEN: str('UPSTASH_REDIS_REST_TOKEN'),
    JOBS_AUTH_MODE: oneOf('JOBS_AUTH_MODE', ['verify-signature', 'cloud-run-iam', 'none'] as const),
    OIDC_AUDIENCE: str('OIDC_AUDIENCE'),
    OIDC_CERTS_URL: str('OIDC_CERTS_URL'),
    JOBS_ALLOWED_SERVICE_ACCOUNTS: str('JOBS_ALLOWED_SERVICE_ACCOUNTS')?.split(',').map((s) => s.trim()).filter(Boolean),
    IDEMPOTENCY_FAIL_MODE: oneOf('IDEMPOTENCY_FAIL_MODE', ['open', 'closed'] as const),
    IDEMPOTENCY_TTL_SECONDS: str('IDEMPOTENCY_TTL_SECONDS') === undefined ? undefined : int('IDEMPOTENCY_TTL_SECONDS', 86_400, 1, 31_536_000),
    ALLOW_MEMORY_STORES: oneOf('ALLOW_MEMORY_STORES', ['single-instance'] as const),
    JOB_TRANSPORTS: str('JOB_TRANSPORTS'),
    BULLMQ_REDIS_URL: str('BULLMQ_REDIS_URL'),
    EMULATOR_GRPC_PORT: int('EMULATOR_GRPC_PORT', 8123),
    EMULATOR_HTTP_PORT: int('EMULATOR_HTTP_PORT', 8124),
    EMULATOR_TIME_SCALE: int('EMULATOR_TIME_SCALE', 1, 1, 1_000_000),
    ENABLE_DEV_ENDPOINTS: false,
    TRUST_PROXY_HOPS: int('TRUST_PROXY_HOPS', str('K_SERVICE') ? 1 : 0, 0, 10),
    JOBS_DASHBOARD: false,
    JOBS_DASHBOARD_PATH: str('JOBS_DASHBOARD_PATH'),
    JOBS_DASHBOARD_ALLOW: str('JOBS_DASHBOARD_ALLOW')?.split(',').map((s) => s.trim()).filter(Boolean),
    JOBS_DASHBOARD_IAP_AUDIENCE: str('JOBS_DASHBOARD_IAP_AUDIENCE'),
    JOBS_DASHBOARD_OIDC_AUDIENCE: str('JOBS_DASHBOARD_OIDC_AUDIENCE'),
    JOBS_DASHBOARD_OIDC_CERTS_URL: str('JOBS_DASHBOARD_OIDC_CERTS_URL'),
    JOBS_DASHBOARD_CSRF_SECRET: str('JOBS_DASHBOARD_CSRF_SECRET'),
  };
  // NOTE: open in local mode; elsewhere CloudTasksDashboardModule refuses to boot without JOBS_DASHBOARD_ALLOW + an audience.
  const dashboard = oneOf('JOBS_DASHBOARD', ['true', 'false'] as const);
  env.JOBS_DASHBOARD = dashboard === undefined ? isLocalMode(env) : dashboard === 'true';
  const audience = env.JOBS_DASHBOARD_IAP_AUDIENCE || env.JOBS_DASHBOARD_OIDC_AUDIENCE;
  if (Boolean(env.JOBS_DASHBOARD_ALLOW?.length) !== Boolean(audience)) {
    problems.push('JOBS_DASHBOARD_ALLOW goes with JOBS_DASHBOARD_IAP_AUDIENCE or JOBS_DASHBOARD_OIDC_AUDIENCE: the emails are checked against a token issued for that audience');
  }
  // NOTE: development endpoints enqueue without authentication: only where the jobs go to an emulator (local mode).
  const devEndpoints = oneOf('ENABLE_DEV_ENDPOINTS', ['true', 'false'] as const);
  env.ENABLE_DEV_ENDPOINTS = devEndpoints === undefined ? isLocalMode(env) : devEndpoints === 'true';
  if (env.ENABLE_DEV_ENDPOINTS && !isLocalMode(env)) {
    problems.push('ENABLE_DEV_ENDPOINTS=true only works in local mode (CLOUD_TASKS_EMULATOR_HOST set, or no GCP settings for the in-process emulator): against Cloud Tasks it would let anyone enqueue jobs');
  }
  if (Boolean(env.UPSTASH_REDIS_REST_URL) !== Boolean(env.UPSTASH_REDIS_REST_TOKEN)) {
    problems.push('UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN go together: set both or neither');
  }
  if (env.JOB_TRANSPORTS) {
    try {
      const routing = parseTransportRouting(env.JOB_TRANSPORTS);
      const toBullmq = routing.default === 'bullmq' || Object.values(routing.jobs ?? {}).includes('bullmq');
      if (toBullmq && !env.BULLMQ_REDIS_URL) problems.push('JOB_TRANSPORTS routes jobs to bullmq: set BULLMQ_REDIS_URL (redis://host:6379) too');
    } catch (error) {
      problems.push(`JOB_TRANSPORTS: ${(error as Error).message}`);
    }
  }
  if (env.NODE_ENV === 'production') {
    const missing = REQUIRED_IN_PRODUCTION.filter((name) => !env[name]);
    const where = str('K_SERVICE') ? 'On Cloud Run (K_SERVICE is set)' : 'NODE_ENV=production';
    if (missing.length) problems.push(`${where} the service needs ${missing.join(', ')} (see .env.example)`);
    if (env.CLOUD_TASKS_EMULATOR_HOST) problems.push(`CLOUD_TASKS_EMULATOR_HOST is set: ${where} unset it to use Cloud Tasks`);
  }
  if (problems.length) throw new AppEnvError(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return env;
}

/** True when no Cloud Tasks target is configured: `npm start` then runs the emulator in-process. */
export function wantsEmbeddedEmulator(env: Pick<AppEnv, 'NODE_ENV' | 'GCP_PROJECT_ID' | 'CLOUD_TASKS_EMULATOR_HOST'>): boolean {
  return env.NODE_ENV !== 'production' && !env.GCP_PROJECT_ID && !env.CLOUD_TASKS_EMULATOR_HOST;
}

/** Local mode: jobs go to an emulator (one given, or the in-process one), never to Cloud Tasks. */
export function isLocalMode(env: Pick<AppEnv, 'NODE_ENV' | 'GCP_PROJECT_ID' | 'CLOUD_TASKS_EMULATOR_HOST'>): boolean {
  return Boolean(env.CLOUD_TASKS_EMULATOR_HOST) || wantsEmbeddedEmulator(env);
}
