import { Injectable } from '@nestjs/common';
import { ClockService } from './clock.service.js';
import { RecordNotFoundError } from './domain.errors.js';
import { SEED_REMINDERS } from './seed-data.js';

/** A catch-up reminder a user set; sent once. */
export interface Reminder {
  id: string;
  userId: string;
  message: string;
  sentAt?: Date;
}

/** Users' reminders (in memory, seeded with {@link SEED_REMINDERS}). */
@Injectable()
export class ReminderService {
  private readonly reminders = new Map<string, Reminder>();

  constructor(private readonly clock: ClockService) {
    for (const reminder of SEED_REMINDERS) this.create(reminder.userId, reminder.id, reminder.message);
  }

  create(userId: string, reminderId: string, message: string): Reminder {
    const reminder: Reminder = { id: reminderId, userId, message };
    this.reminders.set(reminderId, reminder);
    return reminder;
  }

  /** @throws RecordNotFoundError when missing or owned by another user */
  get(userId: string, reminderId: string): Reminder {
    const reminder = this.reminders.get(reminderId);
    if (!reminder || reminder.userId !== userId) throw new RecordNotFoundError('Reminder', reminderId, userId);
    return reminder;
  }

  markSent(userId: string, reminderId: string): void {
    this.get(userId, reminderId).sentAt = this.clock.now();
  }
}
