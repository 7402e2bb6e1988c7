import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Type } from '@nestjs/common';
import {
  AdaptiveSyncPayload,
  BatchNotificationsPayload,
  CalendarSyncPayload,
  GoogleContactsSyncPayload,
  NotificationReminderPayload,
  SuggestionGenerationPayload,
  SuggestionRegenerationPayload,
  TokenHealthReminderPayload,
  TokenRefreshPayload,
  WebhookHealthCheckPayload,
  WebhookRenewalPayload,
} from './index.js';

/** The same checks the job endpoint runs on `data`. */
async function problems(payload: Type<object>, data: object): Promise<string[]> {
  const errors = await validate(plainToInstance(payload, data), { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return errors.map((e) => e.property);
}

interface Case {
  payload: Type<object>;
  good: object[];
  /** Bad payload → the property that must be reported. */
  bad: Array<[object, string]>;
}

const userBad = (extra: object = {}): Array<[object, string]> => [
  [{ ...extra }, 'userId'],
  [{ ...extra, userId: '' }, 'userId'],
  [{ ...extra, userId: 42 }, 'userId'],
  [{ ...extra, userId: 'u1', unexpected: true }, 'unexpected'],
];

const cases: Record<string, Case> = {
  'token-refresh': { payload: TokenRefreshPayload, good: [{ userId: 'u1' }, { userId: 'u1', force: true }], bad: [...userBad(), [{ userId: 'u1', force: 'yes' }, 'force']] },
  'calendar-sync': {
    payload: CalendarSyncPayload,
    good: [{ userId: 'u1' }, { userId: 'u1', calendarId: 'primary', fullSync: false }],
    bad: [...userBad(), [{ userId: 'u1', calendarId: '' }, 'calendarId'], [{ userId: 'u1', fullSync: 1 }, 'fullSync']],
  },
  'google-contacts-sync': { payload: GoogleContactsSyncPayload, good: [{ userId: 'u1' }, { userId: 'u1', fullSync: true }], bad: [...userBad(), [{ userId: 'u1', fullSync: 'true' }, 'fullSync']] },
  'adaptive-sync': { payload: AdaptiveSyncPayload, good: [{ userId: 'u1' }, { userId: 'u1', reason: 'webhook' }], bad: [...userBad(), [{ userId: 'u1', reason: 'because' }, 'reason']] },
  'webhook-renewal': { payload: WebhookRenewalPayload, good: [{ userId: 'u1', channelId: 'ch-1' }], bad: [...userBad({ channelId: 'ch-1' }), [{ userId: 'u1' }, 'channelId'], [{ userId: 'u1', channelId: 7 }, 'channelId']] },
  'suggestion-regeneration': {
    payload: SuggestionRegenerationPayload,
    good: [{ userId: 'u1' }, { userId: 'u1', reason: 'contacts-changed' }],
    bad: [...userBad(), [{ userId: 'u1', reason: 'whim' }, 'reason']],
  },
  'suggestion-generation': {
    payload: SuggestionGenerationPayload,
    good: [{ userId: 'u1' }, { userId: 'u1', limit: 20 }],
    bad: [...userBad(), [{ userId: 'u1', limit: 0 }, 'limit'], [{ userId: 'u1', limit: 2.5 }, 'limit'], [{ userId: 'u1', limit: '3' }, 'limit']],
  },
  'batch-notifications': {
    payload: BatchNotificationsPayload,
    good: [{ userIds: ['u1'], template: 'weekly-digest' }, { userIds: Array.from({ length: 500 }, (_, i) => `u${i}`), template: 't' }],
    bad: [
      [{ template: 't' }, 'userIds'],
      [{ userIds: [], template: 't' }, 'userIds'],
      [{ userIds: Array.from({ length: 501 }, (_, i) => `u${i}`), template: 't' }, 'userIds'],
      [{ userIds: ['u1', 2], template: 't' }, 'userIds'],
      [{ userIds: ['u1', ''], template: 't' }, 'userIds'],
      [{ userIds: 'u1', template: 't' }, 'userIds'],
      [{ userIds: ['u1'] }, 'template'],
      [{ userIds: ['u1'], template: 5 }, 'template'],
      [{ userIds: ['u1'], template: 't', userId: 'u1' }, 'userId'],
    ],
  },
  'webhook-health-check': {
    payload: WebhookHealthCheckPayload,
    good: [{}, { userId: 'u1', renewWithinHours: 48 }],
    bad: [
      [{ userId: '' }, 'userId'],
      [{ userId: 42 }, 'userId'],
      [{ renewWithinHours: 0 }, 'renewWithinHours'],
      [{ renewWithinHours: 169 }, 'renewWithinHours'],
      [{ unexpected: 1 }, 'unexpected'],
    ],
  },
  'notification-reminder': {
    payload: NotificationReminderPayload,
    good: [{ userId: 'u1', reminderId: 'rem-1', channel: 'email' }, { userId: 'u1', reminderId: 'rem-1', channel: 'push' }],
    bad: [
      ...userBad({ reminderId: 'rem-1', channel: 'email' }),
      [{ userId: 'u1', channel: 'email' }, 'reminderId'],
      [{ userId: 'u1', reminderId: 'rem-1' }, 'channel'],
      [{ userId: 'u1', reminderId: 'rem-1', channel: 'sms' }, 'channel'],
    ],
  },
  'token-health-reminder': { payload: TokenHealthReminderPayload, good: [{ userId: 'u1' }], bad: userBad() },
};

describe.each(Object.entries(cases))('%s payload', (_name, { payload, good, bad }) => {
  it.each(good.map((data) => [JSON.stringify(data).slice(0, 80), data]))('accepts %s', async (_label, data) => {
    await expect(problems(payload, data)).resolves.toEqual([]);
  });

  it.each(bad.map(([data, property]) => [JSON.stringify(data).slice(0, 80), data, property]))('rejects %s (%s)', async (_label, data, property) => {
    await expect(problems(payload, data)).resolves.toContain(property);
  });
});
