/**
 * A `schedules` entry is unusable: a bad cron expression or time zone, an unknown job, data its handler would refuse.
 * Thrown at boot; the message names each schedule, its job and the fix.
 */
export class ScheduleConfigError extends Error {
  override readonly name = 'ScheduleConfigError';
}
