import { Injectable } from '@nestjs/common';
import { ClockService } from './clock.service.js';

export type NotificationChannel = 'email' | 'push';

/** A message CatchUp sent (here: appended to the outbox). */
export interface Notification {
  id: string;
  userId: string;
  channel: NotificationChannel;
  template: string;
  body: string;
  /** Set by senders that must not send twice (e.g. the job's idempotency key + user). */
  dedupeKey?: string;
  createdAt: Date;
}

/** Sends notifications by appending them to an in-memory outbox that tests and the demo read. */
@Injectable()
export class NotificationService {
  private readonly sent: Notification[] = [];

  constructor(private readonly clock: ClockService) {}

  /** Everything sent so far, oldest first. */
  get outbox(): readonly Notification[] {
    return this.sent;
  }

  send(message: Omit<Notification, 'id' | 'createdAt'>): Notification {
    const notification: Notification = { ...message, id: `ntf-${this.sent.length + 1}`, createdAt: this.clock.now() };
    this.sent.push(notification);
    return notification;
  }

  sentTo(userId: string): Notification[] {
    return this.sent.filter((n) => n.userId === userId);
  }

  hasSent(dedupeKey: string): boolean {
    return this.sent.some((n) => n.dedupeKey === dedupeKey);
  }
}
