import type { ScheduleConfig } from '@nest-cloud-tasks/core';

/**
 * The CatchUp jobs that are periodic by nature, on Cloud Scheduler (`npm run queues:sync` creates them; `npm start`
 * creates them in the in-process emulator). The other jobs run because something happened (a sign-in, a webhook, a
 * follow-up of another job) and are enqueued with `JobQueueService.add()`; see docs/schedules.md for each choice.
 */
export const SCHEDULE_CONFIGS: ScheduleConfig[] = [
  {
    // Google push channels expire; checking every hour with a 24 h window gives each channel about 24 chances to be
    // renewed before it lapses, and enqueues a webhook-renewal only for the channels that need one.
    job: 'webhook-health-check',
    cron: '0 * * * *',
    timeZone: 'Etc/UTC',
    data: { renewWithinHours: 24 },
    retry: { retryCount: 2, minBackoffDuration: '30s' },
  },
  {
    // The weekly digest goes out on Monday morning where the (seeded) users are: a wall-clock time in their time zone,
    // so it stays at 08:00 for them across daylight-saving changes (06:00 UTC in summer, 07:00 UTC in winter).
    job: 'batch-notifications',
    id: 'weekly-digest',
    cron: '0 8 * * 1',
    timeZone: 'Europe/Paris',
    data: { userIds: ['u1', 'u2'], template: 'weekly-digest' },
    retry: { retryCount: 3, minBackoffDuration: '60s' },
  },
];
