import { Injectable } from '@nestjs/common';
import { CalendarService } from './calendar.service.js';
import { ClockService } from './clock.service.js';
import { ContactService } from './contact.service.js';

/** "Catch up with X": a contact worth reaching out to, and why. */
export interface Suggestion {
  id: string;
  userId: string;
  contactId: string;
  contactName: string;
  reason: string;
  score: number;
  status: 'pending' | 'accepted' | 'dismissed';
  createdAt: Date;
}

const DAY_MS = 86_400_000;
const MEETING_BONUS = 30;

/**
 * Catch-up suggestions, ranked from the synced contacts (days since the last interaction) and calendar
 * (a meeting coming up with the contact ranks them higher). Deterministic: same data, same suggestions.
 */
@Injectable()
export class SuggestionService {
  private readonly suggestions: Suggestion[] = [];
  private seq = 0;

  constructor(
    private readonly contacts: ContactService,
    private readonly calendars: CalendarService,
    private readonly clock: ClockService,
  ) {}

  /** Adds up to `limit` pending suggestions for the best-ranked contacts that have none pending. */
  generate(userId: string, limit: number): Suggestion[] {
    const pending = new Set(this.list(userId, 'pending').map((s) => s.contactId));
    const created = this.rank(userId)
      .filter((s) => !pending.has(s.contactId))
      .slice(0, limit)
      .map((s) => ({ ...s, id: `sug-${++this.seq}` }));
    this.suggestions.push(...created);
    return created;
  }

  /** Drops the user's pending suggestions and ranks afresh (accepted and dismissed ones stay). */
  regenerate(userId: string, limit: number): { removed: number; created: Suggestion[] } {
    const before = this.suggestions.length;
    const kept = this.suggestions.filter((s) => s.userId !== userId || s.status !== 'pending');
    this.suggestions.splice(0, before, ...kept);
    return { removed: before - kept.length, created: this.generate(userId, limit) };
  }

  list(userId: string, status?: Suggestion['status']): Suggestion[] {
    return this.suggestions.filter((s) => s.userId === userId && (status === undefined || s.status === status));
  }

  private rank(userId: string): Array<Omit<Suggestion, 'id'>> {
    const now = this.clock.now();
    const meetings = new Map<string, string>();
    for (const event of this.calendars.eventsOf(userId)) {
      if (new Date(event.start) > now) for (const email of event.attendees) meetings.set(email, event.start);
    }
    return this.contacts
      .list(userId)
      .map((contact) => {
        const days = Math.max(0, Math.floor((now.getTime() - new Date(contact.lastInteractionAt).getTime()) / DAY_MS));
        const meeting = meetings.get(contact.email);
        return {
          userId,
          contactId: contact.id,
          contactName: contact.name,
          reason: meeting ? `meeting on ${meeting.slice(0, 10)}` : `${days} days since you last talked`,
          score: days + (meeting ? MEETING_BONUS : 0),
          status: 'pending' as const,
          createdAt: now,
        };
      })
      .sort((a, b) => b.score - a.score || a.contactId.localeCompare(b.contactId));
  }
}
