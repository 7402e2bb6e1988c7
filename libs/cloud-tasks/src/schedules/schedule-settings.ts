import { createHash } from 'node:crypto';
import type { protos } from '@google-cloud/scheduler';
import { signTask, TASK_SIGNATURE_HEADER } from '../auth/task-signature.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { formatDurationMs, durationMs } from '../provisioner/queue-settings.js';
import { parseDuration, toProtoDuration } from '../utils/duration.js';
import { redact } from '../utils/redact.js';
import { CLOUD_SCHEDULER_DEFAULTS } from './schedule.constants.js';
import { fireBodyOf } from './schedule-fires.js';
import type { ResolvedSchedule } from './schedule.rules.js';

type IJob = protos.google.cloud.scheduler.v1.IJob;

/** The fields of a Cloud Scheduler job the sync manages, named by their update-mask paths. */
export const SCHEDULE_FIELDS = [
  'schedule',
  'time_zone',
  'description',
  'http_target.uri',
  'http_target.http_method',
  'http_target.headers',
  'http_target.body',
  'http_target.oidc_token',
  'retry_config.retry_count',
  'retry_config.max_retry_duration',
  'retry_config.min_backoff_duration',
  'retry_config.max_backoff_duration',
  'retry_config.max_doublings',
  'attempt_deadline',
] as const;

/** A managed field of a schedule (update-mask path), or `state` (ENABLED/PAUSED: PauseJob/ResumeJob, not a mask). */
export type ScheduleField = (typeof SCHEDULE_FIELDS)[number] | 'state';

/** A schedule's managed fields, each as a comparable, printable value. */
export type ScheduleSettings = Record<ScheduleField, string | number>;

const METHODS = ['HTTP_METHOD_UNSPECIFIED', 'POST', 'GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const STATES = ['STATE_UNSPECIFIED', 'ENABLED', 'PAUSED', 'DISABLED', 'UPDATE_FAILED'];
/** NOTE: Cloud Scheduler reports the User-Agent it sends among the job's headers; it is not the job's own. */
const SERVICE_HEADERS = new Set(['user-agent']);

/** Where a schedule's fires go: the job endpoint of the job, on this service. */
export function fireUrlOf(schedule: ResolvedSchedule, options: ResolvedCloudTasksOptions): string {
  return `${options.serviceUrl}/${options.handlerPath}/${encodeURIComponent(schedule.job)}`;
}

/** True when a Cloud Scheduler job's target is this service's job endpoint (only such jobs are ever pruned). */
export function targetsThisService(job: IJob, options: ResolvedCloudTasksOptions): boolean {
  return (job.httpTarget?.uri ?? '').startsWith(`${options.serviceUrl}/${options.handlerPath}/`);
}

/** The headers of a schedule's fires: JSON, and the task signature over the fixed body when `signing` is on. */
function headersOf(schedule: ResolvedSchedule, options: ResolvedCloudTasksOptions, body: Buffer): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.signing) headers[TASK_SIGNATURE_HEADER] = signTask(options.signing.secrets[0], schedule.job, body);
  return headers;
}

/** The Cloud Scheduler `Job` message of a schedule (CreateJob, or UpdateJob with a mask). */
export function jobMessage(name: string, schedule: ResolvedSchedule, options: ResolvedCloudTasksOptions): IJob {
  const body = fireBodyOf(schedule);
  const retry = schedule.retry;
  return {
    name,
    description: schedule.description,
    schedule: schedule.cron,
    timeZone: schedule.timeZone,
    httpTarget: {
      uri: fireUrlOf(schedule, options),
      httpMethod: 'POST',
      headers: headersOf(schedule, options, body),
      body,
      oidcToken: { serviceAccountEmail: options.serviceAccountEmail, audience: options.auth.audience },
    },
    retryConfig: {
      retryCount: retry.retryCount,
      maxRetryDuration: toProtoDuration(parseDuration(retry.maxRetryDuration)!),
      minBackoffDuration: toProtoDuration(parseDuration(retry.minBackoffDuration)!),
      maxBackoffDuration: toProtoDuration(parseDuration(retry.maxBackoffDuration)!),
      maxDoublings: retry.maxDoublings,
    },
    attemptDeadline: { seconds: schedule.attemptDeadlineSeconds },
  };
}

/** What a schedule asks for, field by field. */
export function desiredScheduleSettings(name: string, schedule: ResolvedSchedule, options: ResolvedCloudTasksOptions): ScheduleSettings {
  return { ...settingsOf(jobMessage(name, schedule, options), options), state: schedule.paused ? 'PAUSED' : 'ENABLED' };
}

/** What Cloud Scheduler has, field by field (defaults filled in as the service reports them). */
export function liveScheduleSettings(job: IJob, options: ResolvedCloudTasksOptions): ScheduleSettings {
  return { ...settingsOf(job, options), state: enumName(job.state, STATES) || 'ENABLED' };
}

/** The managed fields whose values differ. */
export function changedScheduleFields(current: ScheduleSettings, desired: ScheduleSettings): ScheduleField[] {
  return ([...SCHEDULE_FIELDS, 'state'] as ScheduleField[]).filter((field) => current[field] !== desired[field]);
}

function settingsOf(job: IJob, options: ResolvedCloudTasksOptions): Omit<ScheduleSettings, 'state'> {
  const http = job.httpTarget ?? {};
  const retry = job.retryConfig ?? {};
  const defaults = CLOUD_SCHEDULER_DEFAULTS.retry;
  const duration = (value: protos.google.protobuf.IDuration | null | undefined, fallback: string) => formatDurationMs(durationMs(value) ?? parseDuration(fallback)!);
  const headers = Object.entries(http.headers ?? {})
    .filter(([key]) => !SERVICE_HEADERS.has(key.toLowerCase()))
    .map(([key, value]) => `${key.toLowerCase()}: ${key.toLowerCase() === TASK_SIGNATURE_HEADER ? `${String(value).slice(0, 16)}…` : value}`)
    .sort()
    .join(', ');
  const oidc = http.oidcToken;
  return {
    schedule: job.schedule ?? '',
    time_zone: job.timeZone || CLOUD_SCHEDULER_DEFAULTS.timeZone,
    description: job.description ?? '',
    'http_target.uri': http.uri ?? '',
    'http_target.http_method': enumName(http.httpMethod, METHODS) || 'POST',
    'http_target.headers': headers,
    'http_target.body': bodyText(http.body, options),
    'http_target.oidc_token': oidc?.serviceAccountEmail ? `${oidc.serviceAccountEmail} (audience ${oidc.audience || http.uri || ''})` : '(none)',
    'retry_config.retry_count': Number(retry.retryCount ?? defaults.retryCount),
    'retry_config.max_retry_duration': duration(retry.maxRetryDuration, defaults.maxRetryDuration),
    'retry_config.min_backoff_duration': duration(retry.minBackoffDuration, defaults.minBackoffDuration),
    'retry_config.max_backoff_duration': duration(retry.maxBackoffDuration, defaults.maxBackoffDuration),
    'retry_config.max_doublings': Number(retry.maxDoublings ?? defaults.maxDoublings),
    attempt_deadline: duration(job.attemptDeadline, `${CLOUD_SCHEDULER_DEFAULTS.attemptDeadlineSeconds}s`),
  };
}

/** The body as the diff shows it: its JSON with sensitive-looking keys masked (compared exactly all the same). */
function bodyText(body: Uint8Array | string | null | undefined, options: ResolvedCloudTasksOptions): string {
  if (!body || body.length === 0) return '';
  const text = typeof body === 'string' ? Buffer.from(body, 'base64').toString('utf8') : Buffer.from(body).toString('utf8');
  try {
    const masked = JSON.stringify(redact(JSON.parse(text), options.redactKeys));
    // NOTE: masked values would make two different bodies look equal: keep a digest of the exact bytes beside them.
    return masked === text ? text : `${masked} (#${hash(text)})`;
  } catch {
    return text;
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

function enumName(value: unknown, names: readonly string[]): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'number' ? (names[value] ?? String(value)) : String(value);
}
