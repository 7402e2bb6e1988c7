import { Cron } from 'croner';
import { ScheduleConfigError } from '../errors/schedule-config.error.js';
import type { QueueConfig } from '../interfaces/queue-config.interface.js';
import type { ScheduleConfig, ScheduleRetryConfig } from '../interfaces/schedule-config.interface.js';
import { parseDuration } from '../utils/duration.js';
import { jsonProblem } from '../utils/stable-json.js';
import { CLOUD_SCHEDULER_DEFAULTS, ScheduleLimits } from './schedule.constants.js';
import { INVALID_SCHEDULES } from './schedule.messages.js';

/** A schedule after validation, with every default filled in. */
export interface ResolvedSchedule {
  id: string;
  job: string;
  cron: string;
  timeZone: string;
  data: unknown;
  retry: Required<ScheduleRetryConfig>;
  attemptDeadlineSeconds: number;
  paused: boolean;
  description: string;
}

const KEYS = new Set(['job', 'id', 'cron', 'timeZone', 'data', 'retry', 'attemptDeadlineSeconds', 'paused', 'description']);
const RETRY_KEYS = new Set(['retryCount', 'maxRetryDuration', 'minBackoffDuration', 'maxBackoffDuration', 'maxDoublings']);
const ID = /^[A-Za-z0-9_-]+$/;
const MONTHS = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC';
const DAYS = 'SUN|MON|TUE|WED|THU|FRI|SAT';
/** unix-cron as Cloud Scheduler reads it: numbers, `*`, ranges, lists, steps; names in month and day-of-week only. */
const FIELDS = [/^[0-9*,/-]+$/, /^[0-9*,/-]+$/, /^[0-9*,/-]+$/, new RegExp(`^(?:[0-9*,/-]|${MONTHS})+$`, 'i'), new RegExp(`^(?:[0-9*,/-]|${DAYS})+$`, 'i')];
const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'];

/**
 * Why `cron` read in `timeZone` is not a schedule Cloud Scheduler accepts, or undefined. Exactly five unix-cron
 * fields (no seconds, no `L`/`W`/`#`/`?`, no `@hourly`), each in range (checked with croner), and an IANA time zone.
 */
export function cronProblem(cron: unknown, timeZone: string): string | undefined {
  if (typeof cron !== 'string' || !cron.trim()) return 'cron must be a unix-cron expression such as "0 */6 * * *"';
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return `cron "${cron}" has ${fields.length} fields; Cloud Scheduler takes exactly five (minute hour day-of-month month day-of-week), e.g. "0 */6 * * *"`;
  const bad = fields.findIndex((field, i) => !FIELDS[i].test(field));
  if (bad !== -1) return `cron "${cron}": the ${FIELD_NAMES[bad]} field "${fields[bad]}" uses syntax Cloud Scheduler does not accept (numbers, *, ranges, lists, steps and names only)`;
  if (!isTimeZone(timeZone)) return `timeZone "${timeZone}" is not an IANA time zone such as "Europe/Paris" or "Etc/UTC"`;
  try {
    new Cron(cron, { timezone: timeZone, mode: '5-part', domAndDow: false, paused: true }).nextRun(new Date(0));
  } catch (error) {
    return `cron "${cron}" is invalid (${(error as Error).message.replace(/^CronPattern: /, '')})`;
  }
  return undefined;
}

/**
 * Validates the `schedules` option against the queue configs and fills in defaults.
 * @throws ScheduleConfigError listing every problem, each with its schedule, its job and the fix.
 */
export function resolveSchedules(schedules: unknown, queues: Record<string, QueueConfig>): ResolvedSchedule[] {
  if (schedules === undefined) return [];
  if (!Array.isArray(schedules)) throw new ScheduleConfigError(INVALID_SCHEDULES(['schedules must be an array of { job, cron, timeZone?, data?, … }']));
  const problems: string[] = [];
  const resolved: ResolvedSchedule[] = [];
  const ids = new Map<string, number>();
  schedules.forEach((entry: unknown, index) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`schedules[${index}] must be an object { job, cron, … }`);
      return;
    }
    const schedule = entry as ScheduleConfig;
    const job = typeof schedule.job === 'string' ? schedule.job : '';
    const id = schedule.id ?? job;
    const where = `schedules[${index}] (schedule "${id}", job "${job}")`;
    const before = problems.length;
    const problem = (text: string) => problems.push(`${where}: ${text}`);
    for (const key of Object.keys(schedule)) if (!KEYS.has(key)) problem(`unknown field "${key}"; remove it or check its spelling`);
    if (!job) problem('job must name a job of the "queues" option');
    else if (!Object.hasOwn(queues, job)) problem(`job "${job}" has no queue config: add "${job}" to the "queues" option (its fires are enqueued there), or fix the name`);
    if (typeof id !== 'string' || !ID.test(id) || id.length > ScheduleLimits.maxIdLength) {
      problem(`id "${String(id)}" must be a Cloud Scheduler job id (letters, digits, "-" and "_", at most ${ScheduleLimits.maxIdLength})${schedule.id === undefined ? ': the job name is not one, so give the schedule an id' : ''}`);
    } else if (ids.has(id)) {
      problem(`id "${id}" is also the id of schedules[${ids.get(id)}]: give each schedule of a job its own id`);
    } else ids.set(id, index);
    const timeZone = schedule.timeZone ?? CLOUD_SCHEDULER_DEFAULTS.timeZone;
    if (typeof timeZone !== 'string') problem('timeZone must be an IANA time zone name such as "Europe/Paris"');
    else {
      const cron = cronProblem(schedule.cron, timeZone);
      if (cron) problem(cron);
    }
    const data = schedule.data ?? {};
    const json = jsonProblem(data);
    if (json) problem(json);
    problems.push(...retryProblems(schedule.retry).map((p) => `${where}: ${p}`));
    const deadline = schedule.attemptDeadlineSeconds ?? CLOUD_SCHEDULER_DEFAULTS.attemptDeadlineSeconds;
    const { minAttemptDeadlineSeconds: min, maxAttemptDeadlineSeconds: max } = ScheduleLimits;
    if (!Number.isInteger(deadline) || deadline < min || deadline > max) problem(`attemptDeadlineSeconds must be a whole number of seconds from ${min} to ${max}, got ${String(deadline)}`);
    if (schedule.paused !== undefined && typeof schedule.paused !== 'boolean') problem('paused must be true or false');
    if (schedule.description !== undefined && (typeof schedule.description !== 'string' || schedule.description.length > 500)) problem('description must be a string of at most 500 characters');
    if (problems.length > before) return;
    resolved.push({
      id,
      job,
      cron: schedule.cron.trim().split(/\s+/).join(' '),
      timeZone,
      data,
      retry: { ...CLOUD_SCHEDULER_DEFAULTS.retry, ...schedule.retry },
      attemptDeadlineSeconds: deadline,
      paused: schedule.paused ?? false,
      description: schedule.description ?? `Runs ${job} (managed by @nest-cloud-tasks/core)`,
    });
  });
  if (problems.length) throw new ScheduleConfigError(INVALID_SCHEDULES(problems));
  return resolved;
}

function retryProblems(retry: ScheduleRetryConfig | undefined): string[] {
  if (retry === undefined) return [];
  if (!retry || typeof retry !== 'object') return ['retry must be an object { retryCount?, maxRetryDuration?, minBackoffDuration?, maxBackoffDuration?, maxDoublings? }'];
  const problems = Object.keys(retry).filter((k) => !RETRY_KEYS.has(k)).map((k) => `retry: unknown field "${k}"`);
  const { retryCount, maxDoublings } = retry;
  if (retryCount !== undefined && (!Number.isInteger(retryCount) || retryCount < 0 || retryCount > ScheduleLimits.maxRetryCount)) {
    problems.push(`retry.retryCount must be a whole number from 0 to ${ScheduleLimits.maxRetryCount} (Cloud Scheduler's limit), got ${String(retryCount)}`);
  }
  if (maxDoublings !== undefined && (!Number.isInteger(maxDoublings) || maxDoublings < 0)) problems.push(`retry.maxDoublings must be a whole number ≥ 0, got ${String(maxDoublings)}`);
  const durations = ['maxRetryDuration', 'minBackoffDuration', 'maxBackoffDuration'] as const;
  for (const field of durations) {
    const value = retry[field];
    if (value !== undefined && (typeof value !== 'string' || parseDuration(value) === undefined)) problems.push(`retry.${field} must be a duration such as "10s", got ${JSON.stringify(value)}`);
  }
  const min = parseDuration(retry.minBackoffDuration ?? CLOUD_SCHEDULER_DEFAULTS.retry.minBackoffDuration);
  const max = parseDuration(retry.maxBackoffDuration ?? CLOUD_SCHEDULER_DEFAULTS.retry.maxBackoffDuration);
  if (min !== undefined && max !== undefined && max < min) problems.push(`retry: maxBackoffDuration (${retry.maxBackoffDuration ?? CLOUD_SCHEDULER_DEFAULTS.retry.maxBackoffDuration}) is below minBackoffDuration (${retry.minBackoffDuration ?? CLOUD_SCHEDULER_DEFAULTS.retry.minBackoffDuration})`);
  return problems;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
