import type { JobName } from '../config/queue.config.js';

/** One valid payload per job type, on the seeded domain (users u1/u2, channel ch-u1-primary, reminder rem-1). */
export const SAMPLE_JOBS: Record<JobName, Record<string, unknown>> = {
  'token-refresh': { userId: 'u2' },
  'calendar-sync': { userId: 'u1', calendarId: 'primary' },
  'google-contacts-sync': { userId: 'u1' },
  'adaptive-sync': { userId: 'u1', reason: 'user-active' },
  'webhook-renewal': { userId: 'u1', channelId: 'ch-u1-primary' },
  'suggestion-regeneration': { userId: 'u1', reason: 'manual' },
  'batch-notifications': { userIds: ['u1', 'u2'], template: 'weekly-digest' },
  'suggestion-generation': { userId: 'u2', limit: 3 },
  'webhook-health-check': { renewWithinHours: 24 },
  'notification-reminder': { userId: 'u1', reminderId: 'rem-1', channel: 'email' },
  'token-health-reminder': { userId: 'u1' },
};
