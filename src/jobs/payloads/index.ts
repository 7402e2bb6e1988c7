import type { JobName } from '../../config/queue.config.js';
import type { AdaptiveSyncPayload } from './adaptive-sync.payload.js';
import type { BatchNotificationsPayload } from './batch-notifications.payload.js';
import type { CalendarSyncPayload } from './calendar-sync.payload.js';
import type { GoogleContactsSyncPayload } from './google-contacts-sync.payload.js';
import type { NotificationReminderPayload } from './notification-reminder.payload.js';
import type { SuggestionGenerationPayload } from './suggestion-generation.payload.js';
import type { SuggestionRegenerationPayload } from './suggestion-regeneration.payload.js';
import type { TokenHealthReminderPayload } from './token-health-reminder.payload.js';
import type { TokenRefreshPayload } from './token-refresh.payload.js';
import type { WebhookHealthCheckPayload } from './webhook-health-check.payload.js';
import type { WebhookRenewalPayload } from './webhook-renewal.payload.js';

export * from './adaptive-sync.payload.js';
export * from './batch-notifications.payload.js';
export * from './calendar-sync.payload.js';
export * from './google-contacts-sync.payload.js';
export * from './notification-reminder.payload.js';
export * from './suggestion-generation.payload.js';
export * from './suggestion-regeneration.payload.js';
export * from './token-health-reminder.payload.js';
export * from './token-refresh.payload.js';
export * from './user-job.payload.js';
export * from './webhook-health-check.payload.js';
export * from './webhook-renewal.payload.js';

/** The payload type of each CatchUp job. */
export interface JobPayloadMap extends Record<JobName, object> {
  'token-refresh': TokenRefreshPayload;
  'calendar-sync': CalendarSyncPayload;
  'google-contacts-sync': GoogleContactsSyncPayload;
  'adaptive-sync': AdaptiveSyncPayload;
  'webhook-renewal': WebhookRenewalPayload;
  'suggestion-regeneration': SuggestionRegenerationPayload;
  'batch-notifications': BatchNotificationsPayload;
  'suggestion-generation': SuggestionGenerationPayload;
  'webhook-health-check': WebhookHealthCheckPayload;
  'notification-reminder': NotificationReminderPayload;
  'token-health-reminder': TokenHealthReminderPayload;
}
