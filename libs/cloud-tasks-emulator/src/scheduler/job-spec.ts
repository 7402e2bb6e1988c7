import { durationToMs } from '../core/durations.js';
import { isReplacedHeader } from '../core/reserved-headers.js';
import { invalidArgument, unimplemented } from '../core/rpc.error.js';
import type { HttpTargetPb, JobPb, JobRetryConfigPb } from '../grpc/scheduler-proto.types.js';
import type { DurationPb } from '../grpc/proto.types.js';
import { parseSchedule, type CronSchedule } from './cron.schedule.js';
import { SchedulerDefaults, SCHEDULER_USER_AGENT } from './scheduler.constants.js';

/** What a job sends at each attempt. */
export interface JobTarget {
  uri: string;
  method: string;
  /** The headers as the service reports them: the job's own plus `User-Agent` (and a default `Content-Type` with a body). */
  headers: Record<string, string>;
  body: Buffer | undefined;
  oidc?: { serviceAccountEmail: string; audience: string };
  oauth?: { serviceAccountEmail: string; scope: string };
}

/** A job's retry policy in milliseconds, defaults applied. */
export interface JobRetrySettings {
  /** Retries after a failed attempt (0 to 5; 0 = none, the next tick runs instead). */
  retryCount: number;
  /** `0` = no time limit. */
  maxRetryDurationMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  maxDoublings: number;
}

/** Everything a client sets on a job, validated. */
export interface JobSpec {
  description: string;
  schedule: CronSchedule;
  target: JobTarget;
  retry: JobRetrySettings;
  attemptDeadlineMs: number;
  /** The client's fields, kept to apply a later UpdateJob mask to. */
  source: JobPb;
}

const MAX_DESCRIPTION = 500;
const MAX_URL_LENGTH = 2083;
const MAX_HEADERS_BYTES = 80 * 1024;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** Top-level fields of Job a client may set; output-only ones are accepted in a mask and ignored, as the service does. */
const MUTABLE = new Set(['description', 'schedule', 'timeZone', 'httpTarget', 'retryConfig', 'attemptDeadline', 'pubsubTarget', 'appEngineHttpTarget']);
const OUTPUT_ONLY = new Set(['name', 'userUpdateTime', 'state', 'status', 'scheduleTime', 'lastAttemptTime']);
const HTTP_TARGET_FIELDS = new Set(['uri', 'httpMethod', 'headers', 'body', 'oauthToken', 'oidcToken']);
const RETRY_FIELDS = new Set(['retryCount', 'maxRetryDuration', 'minBackoffDuration', 'maxBackoffDuration', 'maxDoublings']);

/**
 * The spec of a CreateJob request, or of an UpdateJob one: with a mask only the named fields (snake_case or
 * camelCase, whole messages or their fields) change on `base`; without one every mutable field is replaced.
 */
export function resolveJobSpec(pb: JobPb, base?: JobSpec, maskPaths?: readonly string[]): JobSpec {
  const source: JobPb = base && maskPaths && maskPaths.length > 0 ? applyMask(base.source, pb, maskPaths) : pick(pb);
  if (source.pubsubTarget || source.appEngineHttpTarget) {
    throw unimplemented('The emulator runs HTTP targets only (http_target): Pub/Sub and App Engine targets are not emulated.');
  }
  const description = source.description ?? '';
  if (description.length > MAX_DESCRIPTION) throw invalidArgument(`Job.description must be at most ${MAX_DESCRIPTION} characters.`);
  if (!source.schedule) throw invalidArgument('Job.schedule is required.');
  const schedule = parseSchedule(source.schedule, source.timeZone);
  if (!source.httpTarget) throw invalidArgument('Job.http_target is required (the emulator runs HTTP targets).');
  const target = httpTarget(source.httpTarget);
  const attemptDeadlineMs = durationToMs(source.attemptDeadline) || SchedulerDefaults.attemptDeadlineMs;
  if (attemptDeadlineMs < SchedulerDefaults.minAttemptDeadlineMs || attemptDeadlineMs > SchedulerDefaults.maxAttemptDeadlineMs) {
    throw invalidArgument(`Job.attempt_deadline must be between 15s and 1800s for HTTP targets (got ${attemptDeadlineMs / 1000}s).`);
  }
  return { description, schedule, target, retry: retrySettings(source.retryConfig), attemptDeadlineMs, source };
}

function pick(pb: JobPb): JobPb {
  const out: Record<string, unknown> = {};
  for (const key of MUTABLE) if ((pb as Record<string, unknown>)[key] != null) out[key] = (pb as Record<string, unknown>)[key];
  return out as JobPb;
}

function applyMask(base: JobPb, pb: JobPb, paths: readonly string[]): JobPb {
  const next = structuredClone(base) as Record<string, unknown>;
  const from = pb as Record<string, unknown>;
  for (const raw of paths) {
    const [head, sub, ...rest] = raw.split('.').map(camel);
    if (OUTPUT_ONLY.has(head) && sub === undefined) continue;
    const fields = head === 'httpTarget' ? HTTP_TARGET_FIELDS : head === 'retryConfig' ? RETRY_FIELDS : undefined;
    if (!MUTABLE.has(head) || rest.length > 0 || (sub !== undefined && !fields?.has(sub))) {
      throw invalidArgument(`Invalid update_mask path "${raw}": Job has no mutable field with this name.`);
    }
    if (sub === undefined) {
      if (from[head] == null) delete next[head];
      else next[head] = from[head];
      continue;
    }
    const parent = { ...((next[head] as Record<string, unknown> | undefined) ?? {}) };
    const value = (from[head] as Record<string, unknown> | null | undefined)?.[sub];
    if (value == null) delete parent[sub];
    else parent[sub] = value;
    // NOTE: oidc_token and oauth_token are a oneof: setting one clears the other.
    if (value != null && sub === 'oidcToken') delete parent.oauthToken;
    if (value != null && sub === 'oauthToken') delete parent.oidcToken;
    next[head] = parent;
  }
  return next as JobPb;
}

function httpTarget(http: HttpTargetPb): JobTarget {
  const uri = http.uri ?? '';
  if (!uri) throw invalidArgument('HttpTarget.uri is required.');
  if (!uri.startsWith('http://') && !uri.startsWith('https://')) throw invalidArgument("HttpTarget.uri must start with 'http://' or 'https://'.");
  if (uri.length > MAX_URL_LENGTH) throw invalidArgument(`HttpTarget.uri must be at most ${MAX_URL_LENGTH} characters.`);
  const method = !http.httpMethod || http.httpMethod === 'HTTP_METHOD_UNSPECIFIED' ? 'POST' : http.httpMethod;
  const body = http.body && http.body.length > 0 ? Buffer.from(http.body) : undefined;
  if (body && !BODY_METHODS.has(method)) throw invalidArgument(`HttpTarget.body can only be set for POST, PUT or PATCH requests, not ${method}.`);
  const oidc = http.oidcToken;
  const oauth = http.oauthToken;
  if (oidc && !oidc.serviceAccountEmail) throw invalidArgument('OidcToken.service_account_email is required.');
  if (oauth && !oauth.serviceAccountEmail) throw invalidArgument('OAuthToken.service_account_email is required.');
  const headers: Record<string, string> = {};
  let headerBytes = 0;
  for (const [key, value] of Object.entries(http.headers ?? {})) {
    headerBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    if (isReplacedHeader(key, oidc != null || oauth != null, 'x-cloudscheduler')) continue;
    headers[key] = value;
  }
  if (headerBytes > MAX_HEADERS_BYTES) throw invalidArgument(`HttpTarget.headers must be smaller than 80KB (got ${headerBytes} bytes).`);
  // NOTE: the service reports the User-Agent it sends, and the Content-Type it defaults for a body, among the job's headers.
  headers['User-Agent'] = SCHEDULER_USER_AGENT;
  if (body && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/octet-stream';
  return {
    uri,
    method,
    headers,
    body,
    oidc: oidc ? { serviceAccountEmail: oidc.serviceAccountEmail!, audience: oidc.audience || uri } : undefined,
    oauth: oauth ? { serviceAccountEmail: oauth.serviceAccountEmail!, scope: oauth.scope || 'https://www.googleapis.com/auth/cloud-platform' } : undefined,
  };
}

function retrySettings(r: JobRetryConfigPb | null | undefined): JobRetrySettings {
  const ms = (d: DurationPb | null | undefined, fallback: number) => durationToMs(d) || fallback;
  const settings: JobRetrySettings = {
    retryCount: r?.retryCount ?? 0,
    maxRetryDurationMs: durationToMs(r?.maxRetryDuration) ?? 0,
    minBackoffMs: ms(r?.minBackoffDuration, SchedulerDefaults.minBackoffMs),
    maxBackoffMs: ms(r?.maxBackoffDuration, SchedulerDefaults.maxBackoffMs),
    maxDoublings: r?.maxDoublings || SchedulerDefaults.maxDoublings,
  };
  if (settings.retryCount < 0 || settings.retryCount > SchedulerDefaults.maxRetryCount) {
    throw invalidArgument(`RetryConfig.retry_count must be between 0 and ${SchedulerDefaults.maxRetryCount} (got ${settings.retryCount}).`);
  }
  if (settings.maxDoublings < 0) throw invalidArgument('RetryConfig.max_doublings cannot be negative.');
  if (settings.maxRetryDurationMs < 0 || settings.minBackoffMs < 0 || settings.maxBackoffMs < 0) {
    throw invalidArgument('RetryConfig durations cannot be negative.');
  }
  if (settings.minBackoffMs > settings.maxBackoffMs) {
    throw invalidArgument('RetryConfig.min_backoff_duration must be less than or equal to RetryConfig.max_backoff_duration.');
  }
  return settings;
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
