import { Cron } from 'croner';
import { invalidArgument } from '../core/rpc.error.js';

/** The service's answer to a schedule or time zone it cannot read (CreateJob, UpdateJob). */
export const INVALID_SCHEDULE = 'Schedule or time zone is invalid.';

const MONTHS = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC';
const DAYS = 'SUN|MON|TUE|WED|THU|FRI|SAT';
/** unix-cron fields: numbers, `*`, ranges, lists and steps; names in the month and day-of-week fields only. */
const FIELD_PATTERNS = [
  /^[0-9*,/-]+$/,
  /^[0-9*,/-]+$/,
  /^[0-9*,/-]+$/,
  /^[0-9*,/-]+$/,
  new RegExp(`^(?:[0-9*,/-]|${MONTHS})+$`, 'i'),
  new RegExp(`^(?:[0-9*,/-]|${DAYS})+$`, 'i'),
];

/** A job's schedule: a unix-cron expression read in a time zone. */
export interface CronSchedule {
  readonly expression: string;
  /** The IANA time zone the expression is read in (`Etc/UTC` when none was given). */
  readonly timeZone: string;
  /** The first tick strictly after `afterMs` (epoch ms), or undefined when there is none. */
  next(afterMs: number): number | undefined;
}

/** The time zone a job reports when none was set: the service's default. */
export const DEFAULT_TIME_ZONE = 'Etc/UTC';

/**
 * Parses a Cloud Scheduler schedule: exactly five unix-cron fields (minute, hour, day of month, month, day of week;
 * `*`, ranges, lists, steps, month and day names), read in `timeZone` (a tz database name; empty = UTC). Anything
 * else (six fields, `L`/`W`/`#`/`?`, `@hourly`, App Engine's "every 5 minutes") is INVALID_ARGUMENT. Daylight saving
 * follows wall-clock time as Vixie cron does (croner): a time skipped by the change runs after it for fixed-time
 * schedules and is skipped for interval schedules; a repeated time runs once for fixed-time schedules.
 */
export function parseSchedule(expression: string | null | undefined, timeZone: string | null | undefined): CronSchedule {
  const text = (expression ?? '').trim();
  const fields = text.split(/\s+/);
  if (!text || fields.length !== 5 || fields.some((field, i) => !FIELD_PATTERNS[i].test(field))) throw invalidArgument(INVALID_SCHEDULE);
  const zone = timeZone?.trim() || DEFAULT_TIME_ZONE;
  if (!isTimeZone(zone)) throw invalidArgument(INVALID_SCHEDULE);
  let cron: Cron;
  try {
    cron = new Cron(text, { timezone: zone, mode: '5-part', domAndDow: false, fixedTimeRule: 'no-wildcard' });
    cron.nextRun(new Date(0));
  } catch {
    throw invalidArgument(INVALID_SCHEDULE);
  }
  return {
    expression: text,
    timeZone: zone,
    next: (afterMs) => {
      // NOTE: croner works in whole seconds; a tick equal to afterMs is not "after" it.
      const next = cron.nextRun(new Date(Math.floor(afterMs / 1000) * 1000));
      return next ? next.getTime() : undefined;
    },
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
