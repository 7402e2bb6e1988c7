import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { INVALID_OPTIONS } from '../cloud-tasks.messages.js';
import { CloudTasksConfigError } from '../errors/cloud-tasks-config.error.js';
import type { CloudTasksModuleOptions } from '../interfaces/module-options.interface.js';
import { parseDuration } from '../utils/duration.js';
import { TRANSPORT_NAMES, type TransportName } from '../transport/job-transport.js';
import { CloudTasksOptionsSchema, QueueConfigSchema } from './cloud-tasks-options.schema.js';
import { enqueueRateLimitProblems } from '../rate-limit/enqueue-rate-limits.js';

/** Environment variables that usually feed an option, named in error messages. */
const ENV_HINTS: Record<string, string> = {
  projectId: 'GCP_PROJECT_ID',
  location: 'GCP_REGION',
  serviceUrl: 'CLOUD_RUN_URL',
  serviceAccountEmail: 'SERVICE_ACCOUNT_EMAIL',
  emulatorHost: 'CLOUD_TASKS_EMULATOR_HOST',
  'idempotency.upstash.url': 'UPSTASH_REDIS_REST_URL',
  'idempotency.upstash.token': 'UPSTASH_REDIS_REST_TOKEN',
  'auth.certsUrl': 'OIDC_CERTS_URL',
  'auth.audience': 'OIDC_AUDIENCE',
};

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Validates module options; throws a {@link CloudTasksConfigError} listing every problem (option, env var, fix). */
export function validateCloudTasksOptions(options: CloudTasksModuleOptions): void {
  const problems: string[] = [];
  if (!options || typeof options !== 'object') {
    throw new CloudTasksConfigError(INVALID_OPTIONS(['options must be an object (did useFactory return undefined?)']));
  }
  const schema = plainToInstance(CloudTasksOptionsSchema, options);
  problems.push(...flatten(validateSync(schema, VALIDATION)));

  if (options.queues && typeof options.queues === 'object') {
    const names = new Map<string, string>();
    for (const [jobName, queue] of Object.entries(options.queues)) {
      const path = `queues["${jobName}"]`;
      if (!/^[a-z0-9][a-z0-9._-]*$/i.test(jobName)) problems.push(`${path}: job names may only use letters, digits, ".", "_" and "-"`);
      if (!queue || typeof queue !== 'object') {
        problems.push(`${path} must be a QueueConfig object`);
        continue;
      }
      problems.push(...flatten(validateSync(plainToInstance(QueueConfigSchema, queue), VALIDATION), path));
      const min = parseDuration(queue.retryConfig?.minBackoff ?? '');
      const max = parseDuration(queue.retryConfig?.maxBackoff ?? '');
      if (min !== undefined && max !== undefined && max < min) {
        problems.push(`${path}.retryConfig: maxBackoff (${queue.retryConfig.maxBackoff}) is below minBackoff (${queue.retryConfig.minBackoff})`);
      }
      if (queue.retryConfig?.maxAttempts === 0) problems.push(`${path}.retryConfig.maxAttempts must be -1 (unlimited) or at least 1`);
      const other = names.get(queue.name);
      if (other) problems.push(`${path}.name "${queue.name}" is also the queue of "${other}": give each job its own queue`);
      names.set(queue.name, jobName);
    }
  }
  problems.push(...transportProblems(options));
  problems.push(...enqueueRateLimitProblems(options.enqueueRateLimits, options.queues));
  if (options.idempotency?.upstash && options.idempotency.store) {
    problems.push('idempotency: set either upstash or store, not both');
  }
  if (problems.length) throw new CloudTasksConfigError(INVALID_OPTIONS(problems));
}

/** Routing problems: unknown transports or jobs, BullMQ routing without its connection. */
function transportProblems(options: CloudTasksModuleOptions): string[] {
  const transport = options.transport;
  if (transport === undefined) return [];
  if (!transport || typeof transport !== 'object') return ['transport must be an object: { default?, jobs?, bullmq? }'];
  const problems: string[] = [];
  const known = (name: unknown) => TRANSPORT_NAMES.includes(name as TransportName);
  const allowed = TRANSPORT_NAMES.join(', ');
  if (transport.default !== undefined && !known(transport.default)) problems.push(`transport.default must be one of ${allowed}, got ${JSON.stringify(transport.default)}`);
  const routes = Object.entries(transport.jobs ?? {});
  for (const [job, name] of routes) {
    if (!options.queues || !Object.hasOwn(options.queues, job)) problems.push(`transport.jobs["${job}"]: no such job in "queues" (usually from JOB_TRANSPORTS)`);
    if (!known(name)) problems.push(`transport.jobs["${job}"] must be one of ${allowed}, got ${JSON.stringify(name)}`);
  }
  const usesBullmq = transport.default === 'bullmq' || routes.some(([, name]) => name === 'bullmq');
  if (usesBullmq && !transport.bullmq?.connection) problems.push('transport: jobs are routed to bullmq but transport.bullmq.connection is not set (the BullMQ Redis, e.g. redis://127.0.0.1:6379)');
  if (transport.bullmq !== undefined) {
    const { connection } = transport.bullmq ?? {};
    if (typeof connection === 'string' && !/^rediss?:\/\//.test(connection)) problems.push('transport.bullmq.connection must be a redis:// or rediss:// URL, or ioredis options');
  }
  return problems;
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => describe(path, rule, message, error.value));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

function describe(path: string, rule: string, message: string, value: unknown): string {
  const env = ENV_HINTS[path] ? ` (usually from ${ENV_HINTS[path]})` : '';
  if (rule === 'whitelistValidation') return `${path}: unknown option; remove it or check its spelling`;
  const shown = value === undefined ? 'missing' : `got ${JSON.stringify(value)}`;
  return `${path}${env}: ${message.replace(/^\S+ /, `${path.split('.').pop()} `)}, ${shown}`;
}
