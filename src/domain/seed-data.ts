/**
 * Records every fresh domain starts with, so the demo, `POST /dev/jobs/...` and tests have users to act on.
 * Times are relative to {@link ClockService} at start.
 * - `u1`: connected, access token valid for 50 min, a healthy webhook channel, reminder `rem-1`.
 * - `u2`: connected, access token expired 10 min ago, a webhook channel expiring in 2 h, reminder `rem-2`.
 * - `u3`: refresh token revoked (every Google-bound job for u3 fails permanently).
 */
export const SEED_USERS = [
  { id: 'u1', name: 'Ada Lovelace', accessTokenExpiresInSeconds: 50 * 60, revoked: false },
  { id: 'u2', name: 'Grace Hopper', accessTokenExpiresInSeconds: -10 * 60, revoked: false },
  { id: 'u3', name: 'Linus Torvalds', accessTokenExpiresInSeconds: 50 * 60, revoked: true },
] as const;

export const SEED_WEBHOOK_CHANNELS = [
  { id: 'ch-u1-primary', userId: 'u1', calendarId: 'primary', expiresInSeconds: 6 * 86_400 },
  { id: 'ch-u2-primary', userId: 'u2', calendarId: 'primary', expiresInSeconds: 2 * 3600 },
] as const;

export const SEED_REMINDERS = [
  { id: 'rem-1', userId: 'u1', message: 'Time to catch up with Grace' },
  { id: 'rem-2', userId: 'u2', message: 'Time to catch up with Alan' },
] as const;
