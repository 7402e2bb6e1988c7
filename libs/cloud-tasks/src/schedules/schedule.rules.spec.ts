import { ScheduleConfigError } from '../errors/schedule-config.error.js';
import { queueConfig } from '../testing/test-app.js';
import { cronProblem, resolveSchedules } from './schedule.rules.js';

const queues = { ping: queueConfig('ping-queue'), 'report.daily': queueConfig('report-queue') };

describe('cronProblem', () => {
  it.each([
    ['0 */6 * * *', 'Etc/UTC'],
    ['30 8 * * MON-FRI', 'Europe/Paris'],
    ['0 0 1 JAN,JUL *', 'America/New_York'],
    ['*/15 9-17 * * 1-5', 'Asia/Kolkata'],
  ])('accepts %s in %s', (cron, zone) => {
    expect(cronProblem(cron, zone)).toBeUndefined();
  });

  it.each([
    ['0 */6 * *', /has 4 fields; Cloud Scheduler takes exactly five/],
    ['0 0 */6 * * *', /has 6 fields/],
    ['@hourly', /has 1 fields/],
    ['0 0 L * *', /the day of month field "L" uses syntax Cloud Scheduler does not accept/],
    ['0 0 ? * 1', /the day of month field "\?"/],
    ['61 * * * *', /is invalid \(Invalid value for minute: 61\)/],
    ['', /cron must be a unix-cron expression/],
  ])('refuses %j', (cron, message) => {
    expect(cronProblem(cron, 'Etc/UTC')).toMatch(message);
  });

  it('refuses a time zone that is not an IANA name', () => {
    expect(cronProblem('0 8 * * *', 'CEST')).toMatch(/timeZone "CEST" is not an IANA time zone/);
  });
});

describe('resolveSchedules', () => {
  it('fills in the id, time zone, data, Cloud Scheduler retry defaults, deadline, state and description', () => {
    expect(resolveSchedules([{ job: 'ping', cron: ' 0  *  * * * ' }], queues)).toEqual([
      {
        id: 'ping',
        job: 'ping',
        cron: '0 * * * *',
        timeZone: 'Etc/UTC',
        data: {},
        retry: { retryCount: 0, maxRetryDuration: '0s', minBackoffDuration: '5s', maxBackoffDuration: '3600s', maxDoublings: 5 },
        attemptDeadlineSeconds: 180,
        paused: false,
        description: 'Runs ping (managed by @nest-cloud-tasks/core)',
      },
    ]);
  });

  it('is empty without the option', () => {
    expect(resolveSchedules(undefined, queues)).toEqual([]);
  });

  it('lists every problem, each with its schedule, job and fix', () => {
    const attempt = () =>
      resolveSchedules(
        [
          { job: 'report.daily', cron: '0 6 * * *' },
          { job: 'ping', cron: '0 * * * *', retry: { retryCount: 9, minBackoffDuration: '60s', maxBackoffDuration: '10s' }, attemptDeadlineSeconds: 5 },
          { job: 'ping', cron: '0 * * * *', extra: true } as never,
        ],
        queues,
      );
    expect(attempt).toThrow(ScheduleConfigError);
    let message = '';
    try {
      attempt();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('schedules[0] (schedule "report.daily", job "report.daily"): id "report.daily" must be a Cloud Scheduler job id (letters, digits, "-" and "_", at most 100): the job name is not one, so give the schedule an id');
    expect(message).toContain('schedules[1] (schedule "ping", job "ping"): retry.retryCount must be a whole number from 0 to 5');
    expect(message).toContain('retry: maxBackoffDuration (10s) is below minBackoffDuration (60s)');
    expect(message).toContain('attemptDeadlineSeconds must be a whole number of seconds from 15 to 1800, got 5');
    expect(message).toContain('schedules[2] (schedule "ping", job "ping"): unknown field "extra"');
  });

  it('refuses data JSON cannot carry', () => {
    expect(() => resolveSchedules([{ job: 'ping', cron: '0 * * * *', data: { at: () => 1 } }], queues)).toThrow(/schedules\[0\] \(schedule "ping", job "ping"\): .*function/);
  });
});
