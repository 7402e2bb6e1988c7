import { Module } from '@nestjs/common';
import { CalendarService } from './calendar.service.js';
import { ClockService } from './clock.service.js';
import { ContactService } from './contact.service.js';
import { FakeGoogleApi } from './fake-google-api.service.js';
import { NotificationService } from './notification.service.js';
import { ReminderService } from './reminder.service.js';
import { SuggestionService } from './suggestion.service.js';
import { UserService } from './user.service.js';
import { WebhookChannelService } from './webhook-channel.service.js';

const DOMAIN_PROVIDERS = [
  ClockService,
  FakeGoogleApi,
  UserService,
  CalendarService,
  ContactService,
  SuggestionService,
  NotificationService,
  ReminderService,
  WebhookChannelService,
];

/** The in-memory CatchUp domain the job processors act on (state lives in these providers, per app instance). */
@Module({ providers: DOMAIN_PROVIDERS, exports: DOMAIN_PROVIDERS })
export class DomainModule {}
