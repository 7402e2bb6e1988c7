import type { Type } from '@nestjs/common';
import { AdaptiveSyncProcessor } from './adaptive-sync.processor.js';
import { BatchNotificationsProcessor } from './batch-notifications.processor.js';
import { CalendarSyncProcessor } from './calendar-sync.processor.js';
import { GoogleContactsSyncProcessor } from './google-contacts-sync.processor.js';
import { NotificationReminderProcessor } from './notification-reminder.processor.js';
import { SuggestionGenerationProcessor } from './suggestion-generation.processor.js';
import { SuggestionRegenerationProcessor } from './suggestion-regeneration.processor.js';
import { TokenHealthReminderProcessor } from './token-health-reminder.processor.js';
import { TokenRefreshProcessor } from './token-refresh.processor.js';
import { WebhookHealthCheckProcessor } from './webhook-health-check.processor.js';
import { WebhookRenewalProcessor } from './webhook-renewal.processor.js';

export * from './adaptive-sync.processor.js';
export * from './batch-notifications.processor.js';
export * from './calendar-sync.processor.js';
export * from './google-contacts-sync.processor.js';
export * from './notification-reminder.processor.js';
export * from './suggestion-generation.processor.js';
export * from './suggestion-regeneration.processor.js';
export * from './token-health-reminder.processor.js';
export * from './token-refresh.processor.js';
export * from './webhook-health-check.processor.js';
export * from './webhook-renewal.processor.js';
export * from './follow-up-job.js';
export * from './job-errors.js';
export * from './payloads/index.js';

/** The 11 CatchUp job processors, one per job name of `QUEUE_CONFIGS`. */
export const JOB_PROCESSORS: Type[] = [
  TokenRefreshProcessor,
  CalendarSyncProcessor,
  GoogleContactsSyncProcessor,
  AdaptiveSyncProcessor,
  WebhookRenewalProcessor,
  SuggestionRegenerationProcessor,
  BatchNotificationsProcessor,
  SuggestionGenerationProcessor,
  WebhookHealthCheckProcessor,
  NotificationReminderProcessor,
  TokenHealthReminderProcessor,
];
