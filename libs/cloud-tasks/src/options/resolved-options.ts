import {
  DEFAULT_HANDLER_PATH,
  DEFAULT_IDEMPOTENCY_TTL_SECONDS,
  DEFAULT_LEASE_SECONDS,
  DEFAULT_MAX_RESULT_BYTES,
  DEFAULT_MAX_BODY_BYTES_IN_FLIGHT,
  DEFAULT_MAX_TASK_BYTES,
  DEFAULT_REDACT_KEYS,
  GOOGLE_ISSUERS,
} from '../cloud-tasks.constants.js';
import type { JobEnvelope } from '../interfaces/job.interface.js';
import type { AuthMode, CloudTasksModuleOptions, ErrorClass } from '../interfaces/module-options.interface.js';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import { DEFAULT_PAYLOAD_LIMITS, type PayloadLimits } from '../limits/job-limits.js';
import { resolveEnqueueRateLimits, type ResolvedEnqueueRateLimit } from '../rate-limit/enqueue-rate-limits.js';
import { bullmqConnectionOf, type BullmqTransportOptions } from '../transport/bullmq-transport.options.js';
import type { TransportName } from '../transport/job-transport.js';
import { resolveSchedules, type ResolvedSchedule } from '../schedules/schedule.rules.js';
import { validateCloudTasksOptions } from './validate-options.js';

/** Options after validation, with every default filled in. */
export interface ResolvedCloudTasksOptions {
  projectId: string;
  location: string;
  serviceUrl: string;
  serviceAccountEmail: string;
  queues: Record<string, QueueConfig>;
  /** Validated schedules with their defaults; `undefined` when the option was left out (the sync then skips Cloud Scheduler). */
  schedules?: ResolvedSchedule[];
  handlerPath: string;
  emulatorHost?: string;
  auth: {
    mode: AuthMode;
    audience: string;
    allowedServiceAccounts: string[];
    certsUrl?: string;
    issuers: string[];
    clockSkewSeconds: number;
  };
  idempotency: { ttlSeconds: number; failMode: 'open' | 'closed'; maxResultBytes: number; leaseSeconds: number; keyOf?: (envelope: JobEnvelope) => string };
  deadLetterTtlSeconds: number;
  maxTaskBytes: number;
  maxBodyBytesInFlight: number;
  payloadLimits: PayloadLimits;
  signing?: { secrets: string[] };
  transport: { default: TransportName; jobs: Record<string, TransportName>; bullmq?: BullmqTransportOptions };
  redactKeys: string[];
  errorClassifier?: (error: unknown) => ErrorClass | undefined;
  /** Job name → its enqueue limit. */
  enqueueRateLimits: Record<string, ResolvedEnqueueRateLimit>;
}

/** Validates the options and fills in defaults. */
export function resolveCloudTasksOptions(options: CloudTasksModuleOptions, env: NodeJS.ProcessEnv = process.env): ResolvedCloudTasksOptions {
  validateCloudTasksOptions(options);
  const serviceUrl = options.serviceUrl.replace(/\/+$/, '');
  // NOTE: the same convention as Google's *_EMULATOR_HOST variables: the variable points every client at the emulator.
  const emulatorHost = options.emulatorHost || env.CLOUD_TASKS_EMULATOR_HOST?.trim() || undefined;
  return {
    projectId: options.projectId,
    location: options.location,
    serviceUrl,
    serviceAccountEmail: options.serviceAccountEmail,
    queues: options.queues,
    schedules: options.schedules === undefined ? undefined : resolveSchedules(options.schedules, options.queues),
    handlerPath: (options.handlerPath ?? DEFAULT_HANDLER_PATH).replace(/^\/+|\/+$/g, ''),
    emulatorHost,
    auth: {
      mode: options.auth?.mode ?? 'verify-signature',
      audience: options.auth?.audience ?? serviceUrl,
      allowedServiceAccounts: options.auth?.allowedServiceAccounts ?? [options.serviceAccountEmail],
      // NOTE: the emulator serves its signing certs on its own address: one setting is enough to run against it.
      certsUrl: options.auth?.certsUrl ?? (emulatorHost ? `http://${emulatorHost}/certs` : undefined),
      issuers: options.auth?.issuers ?? GOOGLE_ISSUERS,
      clockSkewSeconds: options.auth?.clockSkewSeconds ?? 30,
    },
    idempotency: {
      ttlSeconds: options.idempotency?.ttlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS,
      failMode: options.idempotency?.failMode ?? 'open',
      maxResultBytes: options.idempotency?.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES,
      leaseSeconds: options.idempotency?.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
      keyOf: options.idempotency?.keyOf,
    },
    deadLetterTtlSeconds: options.deadLetters?.ttlSeconds ?? 30 * 86_400,
    maxTaskBytes: options.maxTaskBytes ?? DEFAULT_MAX_TASK_BYTES,
    maxBodyBytesInFlight: options.maxBodyBytesInFlight ?? DEFAULT_MAX_BODY_BYTES_IN_FLIGHT,
    payloadLimits: { ...DEFAULT_PAYLOAD_LIMITS, ...options.payloadLimits },
    signing: options.signing ? { secrets: [...options.signing.secrets] } : undefined,
    transport: {
      default: options.transport?.default ?? 'cloud-tasks',
      jobs: { ...options.transport?.jobs },
      bullmq: options.transport?.bullmq ? { ...options.transport.bullmq, connection: bullmqConnectionOf(options.transport.bullmq.connection) } : undefined,
    },
    redactKeys: [...DEFAULT_REDACT_KEYS, ...(options.redactKeys ?? [])],
    errorClassifier: options.errorClassifier,
    enqueueRateLimits: resolveEnqueueRateLimits(options.enqueueRateLimits),
  };
}
