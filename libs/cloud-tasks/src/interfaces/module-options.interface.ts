import type { DeadLetterStore } from '../dead-letter/dead-letter-store.interface.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.interface.js';
import type { PayloadLimits } from '../limits/job-limits.js';
import type { BullmqConnection } from '../transport/bullmq-transport.options.js';
import type { TransportName } from '../transport/job-transport.js';
import type { EnqueueRateLimits } from './enqueue-rate-limit.interface.js';
import type { JobEnvelope } from './job.interface.js';
import type { QueueConfig } from './queue-config.interface.js';
import type { ScheduleConfig } from './schedule-config.interface.js';

/**
 * How the job endpoint authenticates Cloud Tasks.
 * - `verify-signature` (default): verify the OIDC token's RS256 signature against Google's certs (or `certsUrl`),
 *   then its issuer, audience, expiry, `email` and `email_verified`.
 * - `cloud-run-iam`: for services behind Cloud Run IAM (no `allUsers` invoker) that pass the token on with its
 *   signature replaced by `SIGNATURE_REMOVED_BY_GOOGLE`: such a token is judged on its claims; a really signed one
 *   is verified as in `verify-signature`. Only safe behind Cloud Run IAM.
 * - `none`: no authentication; only accepted in local mode (an emulator host, or the testing module), a boot error
 *   against real Cloud Tasks whatever `NODE_ENV` says.
 */
export type AuthMode = 'verify-signature' | 'cloud-run-iam' | 'none';

export interface AuthOptions {
  /** Default `'verify-signature'`. */
  mode?: AuthMode;
  /** Expected `aud` claim. Default: `serviceUrl`. */
  audience?: string;
  /** Identities (`email` claim) allowed to call the endpoint. Default: `[serviceAccountEmail]`. */
  allowedServiceAccounts?: string[];
  /** Where the signing certs are fetched (PEM map). Default: Google's; the emulator's `/certs` locally. */
  certsUrl?: string;
  /** Accepted `iss` values. Default: `['https://accounts.google.com', 'accounts.google.com']`. */
  issuers?: string[];
  /** Clock skew tolerated on `iat`/`exp`, in seconds (default 30, at most 300). */
  clockSkewSeconds?: number;
}

export interface UpstashOptions {
  /** `UPSTASH_REDIS_REST_URL`. */
  url: string;
  /** `UPSTASH_REDIS_REST_TOKEN`. */
  token: string;
}

export interface IdempotencyOptions {
  /** Use Upstash Redis (REST) for idempotency records. */
  upstash?: UpstashOptions;
  /** Or any store of your own. */
  store?: IdempotencyStore;
  /** How long a completed job's record (and result) is kept, in seconds. Default 86400. */
  ttlSeconds?: number;
  /** When the store is unreachable: `'open'` runs the job without a claim (default), `'closed'` answers 503. */
  failMode?: 'open' | 'closed';
  /** Results larger than this (bytes of JSON) are recorded as done without the result. Default 65536. */
  maxResultBytes?: number;
  /**
   * How long a claim holds a job's key without being renewed, in seconds (default 15, 1–300). A running job's claim is
   * renewed every third of it, so a crashed delivery's job can run again within one lease; against an emulator with a
   * time scale, on the emulator's clock.
   */
  leaseSeconds?: number;
  /**
   * Derives the store key of a delivery from its envelope. Default: `{jobName}:{idempotencyKey}`, so two jobs never
   * share a record. Return the same key for deliveries that must run once together.
   */
  keyOf?: (envelope: JobEnvelope) => string;
}

export interface DeadLetterOptions {
  /** A store of your own; default: Upstash when `idempotency.upstash` is set, memory otherwise. */
  store?: DeadLetterStore;
  /** How long dead letters are kept, in seconds. Default 30 days. */
  ttlSeconds?: number;
}

/**
 * Where jobs go (see {@link CloudTasksModuleOptions.transport}). Feed it from an environment variable with
 * `parseTransportRouting(process.env.JOB_TRANSPORTS)`, so a rollback is one variable.
 */
export interface TransportOptions {
  /** Every job's transport unless `jobs` says otherwise (default `'cloud-tasks'`). */
  default?: TransportName;
  /** Per-job transports, e.g. `{ 'calendar-sync': 'bullmq' }` while that job still runs on BullMQ. */
  jobs?: Record<string, TransportName>;
  /**
   * The BullMQ transport's Redis (`npm i bullmq`). While it is set, a worker consumes the BullMQ queue of every job
   * the app handles, whichever transport the job is routed to now, so switching a job back loses nothing.
   */
  bullmq?: { connection: string | BullmqConnection; prefix?: string; concurrency?: number };
}

/** Task signing (see {@link CloudTasksModuleOptions.signing}). */
export interface SigningOptions {
  /** The signing secret first, then older ones still accepted. */
  secrets: string[];
}

/** Options of `CloudTasksModule.forRoot()` / `forRootAsync()`. */
export interface CloudTasksModuleOptions {
  /** GCP project id (`GCP_PROJECT_ID`). Required. */
  projectId: string;
  /** Cloud Tasks location, e.g. `us-central1` (`GCP_REGION`). Required. */
  location: string;
  /** Public base URL of this service, where tasks are POSTed back (`CLOUD_RUN_URL`). Required. */
  serviceUrl: string;
  /** Service account Cloud Tasks signs the OIDC token as (`SERVICE_ACCOUNT_EMAIL`). Required. */
  serviceAccountEmail: string;
  /** Job name → queue config. */
  queues: Record<string, QueueConfig>;
  /**
   * Recurring jobs on Cloud Scheduler: each fire enqueues one task of its job (see {@link ScheduleConfig}).
   * Synced by `QueueProvisioner.sync()` with the queues; with this option left out the sync never calls Cloud Scheduler.
   */
  schedules?: ScheduleConfig[];
  /** Path of the generated controller (default `'api/jobs'`): it serves `POST /{handlerPath}/:jobName`. */
  handlerPath?: string;
  /** `host:port` of a Cloud Tasks emulator (`CLOUD_TASKS_EMULATOR_HOST`): insecure channel, no Google credentials. */
  emulatorHost?: string;
  auth?: AuthOptions;
  idempotency?: IdempotencyOptions;
  deadLetters?: DeadLetterOptions;
  /** Largest task (body + headers + URL) accepted, in bytes. Default 1 MiB, Cloud Tasks' own limit. */
  maxTaskBytes?: number;
  /**
   * Bytes of job request bodies read at once in this process, at most (default 32 MiB). Beyond it a delivery is
   * answered 503 with `Retry-After` (Cloud Tasks retries it), so slow bodies cannot grow memory without bound.
   */
  maxBodyBytesInFlight?: number;
  /**
   * Shape limits of a job body, checked in linear time before the payload is validated (a body beyond them is
   * invalid: dead-lettered, 202) and by `add()` before any call. Defaults no real job reaches: depth 64, 1,000 keys per
   * object, 100,000 values.
   */
  payloadLimits?: Partial<PayloadLimits>;
  /**
   * Signs every task: `add()` sends an HMAC-SHA256 of the job name and the exact body in `X-Job-Signature`, and the
   * endpoint refuses (401) a delivery whose signature is missing or wrong, so a captured OIDC token cannot carry a body
   * of the holder's choosing. `secrets[0]` signs; every secret verifies (rotate by prepending the new one, then drop
   * the old once its tasks are gone). Each secret at least 32 characters.
   */
  signing?: SigningOptions;
  /**
   * Where each job goes: `'cloud-tasks'` (default), `'bullmq'` (BullMQ over Redis, for a migration job by job and a
   * rollback in one setting), or `'inline'` (in this process, through the same pipeline: tests and quick local runs,
   * local mode only). Every transport delivers through the same pipeline.
   */
  transport?: TransportOptions;
  /** Payload keys masked in logs, error bodies and dead letters (matched case-insensitively, as substrings). */
  redactKeys?: string[];
  /**
   * Without a store configured (`idempotency.upstash`/`store`, `deadLetters.store`), records live in memory: accepted in
   * local mode only. `'single-instance'` accepts it against real Cloud Tasks too (logged as a warning at every boot):
   * duplicates reaching another instance run again, and dead letters are lost on restart.
   */
  allowMemoryStores?: 'single-instance';
  /**
   * Decides whether an error thrown by a processor is worth retrying. Return `undefined` to fall back to the default:
   * `PermanentError` is permanent, everything else (RetryableError, network codes, 429/5xx, unknown errors) retries.
   */
  errorClassifier?: (error: unknown) => ErrorClass | undefined;
  /**
   * Per-job enqueue limits, checked by `add()`/`addBulk()` before the job is sent: e.g.
   * `{ 'calendar-sync': { limit: 100, window: '1m', key: (data) => data.userId } }` allows 100 adds per user per
   * minute and refuses the 101st with `EnqueueRateLimitError` (its `retryAfter` says when to try again). Counted in the
   * Upstash database of `idempotency.upstash` (one command per add, shared by every instance), in memory otherwise.
   * `add(…, { skipRateLimit: true })` bypasses it for system jobs.
   */
  enqueueRateLimits?: EnqueueRateLimits;
}

/** How a processor error is treated: `retryable` answers 500 (Cloud Tasks retries), `permanent` dead-letters it. */
export type ErrorClass = 'retryable' | 'permanent';

/**
 * A class that builds the options, for `CloudTasksModule.forRootAsync({ useClass })` (Nest instantiates it in the
 * module, with its own dependencies) or `forRootAsync({ useExisting, imports })` (an instance your module exports).
 * Nest calls its `create()`.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class CloudTasksConfig implements CloudTasksOptionsFactory {
 *   constructor(private readonly config: ConfigService) {}
 *   create(): CloudTasksModuleOptions {
 *     return { projectId: this.config.getOrThrow('GCP_PROJECT_ID'), … };
 *   }
 * }
 * CloudTasksModule.forRootAsync({ imports: [ConfigModule], useClass: CloudTasksConfig });
 * ```
 */
export interface CloudTasksOptionsFactory {
  create(): CloudTasksModuleOptions | Promise<CloudTasksModuleOptions>;
}
