import { Injectable } from '@nestjs/common';
import { ClockService } from './clock.service.js';
import { FakeGoogleApi, type GoogleEvent } from './fake-google-api.service.js';
import { mergeRecords, sumCounts, type SyncCounts } from './record-merge.js';
import { UserService } from './user.service.js';

/** Counts of one calendar sync. */
export interface CalendarSyncCounts extends SyncCounts {
  calendars: number;
}

/** Users' Google calendar events, mirrored locally by syncs. */
@Injectable()
export class CalendarService {
  /** `userId/calendarId` → event id → event. */
  private readonly events = new Map<string, Map<string, GoogleEvent>>();
  private readonly syncedAt = new Map<string, Date>();

  constructor(
    private readonly users: UserService,
    private readonly google: FakeGoogleApi,
    private readonly clock: ClockService,
  ) {}

  /**
   * Pulls events from Google: one calendar, or all of the user's. A full sync also drops events Google no longer has.
   * @throws UserNotFoundError, AccountDisconnectedError, GoogleApiError
   */
  async sync(userId: string, options: { calendarId?: string; fullSync?: boolean } = {}): Promise<CalendarSyncCounts> {
    const calendarIds = options.calendarId
      ? [options.calendarId]
      : (await this.users.callGoogle(userId, () => this.google.listCalendars(userId))).map((c) => c.id);
    const perCalendar: SyncCounts[] = [];
    for (const calendarId of calendarIds) {
      const fetched = await this.users.callGoogle(userId, () => this.google.listEvents(userId, calendarId));
      const key = `${userId}/${calendarId}`;
      const store = this.events.get(key) ?? new Map<string, GoogleEvent>();
      this.events.set(key, store);
      perCalendar.push(mergeRecords(store, fetched, options.fullSync ?? false));
    }
    this.syncedAt.set(userId, this.clock.now());
    return { calendars: calendarIds.length, ...sumCounts(perCalendar) };
  }

  /** The user's synced events, all calendars. */
  eventsOf(userId: string): GoogleEvent[] {
    return [...this.events.entries()].filter(([key]) => key.startsWith(`${userId}/`)).flatMap(([, store]) => [...store.values()]);
  }

  lastSyncedAt(userId: string): Date | undefined {
    return this.syncedAt.get(userId);
  }
}
