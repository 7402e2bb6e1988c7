import { Injectable } from '@nestjs/common';
import { ClockService } from './clock.service.js';
import { GoogleApiError, type GoogleFaultKind } from './domain.errors.js';

export interface GoogleCalendar {
  id: string;
  summary: string;
  primary: boolean;
}

export interface GoogleEvent {
  id: string;
  calendarId: string;
  summary: string;
  start: string;
  /** Attendee emails (other than the user). */
  attendees: string[];
}

export interface GoogleContact {
  id: string;
  name: string;
  email: string;
  lastInteractionAt: string;
}

/** One call the fake received, for assertions. */
export interface GoogleApiCall {
  userId: string;
  method: string;
  failed?: GoogleFaultKind;
}

const DAY_MS = 86_400_000;
const NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia'];

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Stands in for Google's OAuth, Calendar and People APIs. Data is derived from the userId (and the current day of
 * {@link ClockService}), so the same user always gets the same calendars, events and contacts. No network, no timers.
 *
 * Fault injection: `failNext(userId, count, kind)` makes the next `count` calls for that user throw a
 * {@link GoogleApiError} (503 transient, 429 rate limit, 401 revoked grant).
 */
@Injectable()
export class FakeGoogleApi {
  private readonly faults = new Map<string, GoogleFaultKind[]>();
  private readonly refreshes = new Map<string, number>();
  private readonly log: GoogleApiCall[] = [];

  constructor(private readonly clock: ClockService) {}

  /** The next `count` calls made for `userId` (any method) throw a {@link GoogleApiError} of `kind`. */
  failNext(userId: string, count: number, kind: GoogleFaultKind): void {
    this.faults.set(userId, [...(this.faults.get(userId) ?? []), ...Array<GoogleFaultKind>(count).fill(kind)]);
  }

  /** Drops the injected faults not yet consumed, of one user or of everyone. */
  clearFaults(userId?: string): void {
    if (userId === undefined) this.faults.clear();
    else this.faults.delete(userId);
  }

  /** Faults still waiting for `userId`. */
  pendingFaults(userId: string): number {
    return this.faults.get(userId)?.length ?? 0;
  }

  /** Calls received so far (failed ones included), optionally only for one user. */
  calls(userId?: string): readonly GoogleApiCall[] {
    return userId === undefined ? [...this.log] : this.log.filter((call) => call.userId === userId);
  }

  /** OAuth token endpoint (`grant_type=refresh_token`): a new access token valid for one hour. */
  async refreshAccessToken(userId: string): Promise<{ accessToken: string; expiresInSeconds: number }> {
    this.call(userId, 'oauth2.token');
    const n = (this.refreshes.get(userId) ?? 0) + 1;
    this.refreshes.set(userId, n);
    return { accessToken: `ya29.fake-${hash(userId).toString(16)}-${n}`, expiresInSeconds: 3600 };
  }

  /** OAuth `tokeninfo`: the scopes the user granted. */
  async getTokenInfo(userId: string): Promise<{ scopes: string[] }> {
    this.call(userId, 'oauth2.tokeninfo');
    return { scopes: ['calendar.readonly', 'contacts.readonly'] };
  }

  async listCalendars(userId: string): Promise<GoogleCalendar[]> {
    this.call(userId, 'calendar.calendarList.list');
    return this.calendarsOf(userId);
  }

  /** Upcoming events of one calendar; each has one of the user's contacts as attendee. */
  async listEvents(userId: string, calendarId: string): Promise<GoogleEvent[]> {
    this.call(userId, 'calendar.events.list');
    if (!this.calendarsOf(userId).some((c) => c.id === calendarId)) return [];
    const contacts = this.contactsOf(userId);
    const h = hash(`${userId}/${calendarId}`);
    return Array.from({ length: 2 + (h % 4) }, (_, i) => ({
      id: `${calendarId}-e${i + 1}`,
      calendarId,
      summary: `${calendarId === 'primary' ? 'Coffee' : 'Sync'} with ${contacts[(h + i) % contacts.length].name}`,
      start: new Date(this.today() + (i + 1) * DAY_MS + (9 + (h % 8)) * 3_600_000).toISOString(),
      attendees: [contacts[(h + i) % contacts.length].email],
    }));
  }

  /** People API `connections.list`. */
  async listContacts(userId: string): Promise<GoogleContact[]> {
    this.call(userId, 'people.connections.list');
    return this.contactsOf(userId);
  }

  /** Calendar `events.watch`: (re)opens a push channel, which Google expires after 7 days. */
  async watchCalendar(userId: string, calendarId: string, channelId: string): Promise<{ resourceId: string; expiresAt: Date }> {
    this.call(userId, 'calendar.events.watch');
    return { resourceId: `res-${hash(`${channelId}/${calendarId}`).toString(16)}`, expiresAt: new Date(this.clock.now().getTime() + 7 * DAY_MS) };
  }

  private call(userId: string, method: string): void {
    const failed = this.faults.get(userId)?.shift();
    this.log.push(failed ? { userId, method, failed } : { userId, method });
    if (failed) throw new GoogleApiError(failed, method);
  }

  private calendarsOf(userId: string): GoogleCalendar[] {
    const primary = { id: 'primary', summary: `${userId}'s calendar`, primary: true };
    return hash(userId) % 2 === 0 ? [primary, { id: 'work', summary: 'Work', primary: false }] : [primary];
  }

  private contactsOf(userId: string): GoogleContact[] {
    const h = hash(userId);
    return Array.from({ length: 3 + (h % 4) }, (_, i) => {
      const name = NAMES[(h + i) % NAMES.length];
      const daysAgo = 1 + (hash(`${userId}#${i}`) % 90);
      return { id: `${userId}-c${i + 1}`, name, email: `${name.toLowerCase()}.${i + 1}@example.com`, lastInteractionAt: new Date(this.today() - daysAgo * DAY_MS).toISOString() };
    });
  }

  private today(): number {
    return Math.floor(this.clock.now().getTime() / DAY_MS) * DAY_MS;
  }
}
