import { Injectable } from '@nestjs/common';
import { ClockService } from './clock.service.js';
import { RecordNotFoundError } from './domain.errors.js';
import { FakeGoogleApi } from './fake-google-api.service.js';
import { SEED_WEBHOOK_CHANNELS } from './seed-data.js';
import { UserService } from './user.service.js';

/** A Google Calendar push channel (`events.watch`) that tells CatchUp when a calendar changes. */
export interface WebhookChannel {
  id: string;
  userId: string;
  calendarId: string;
  resourceId: string;
  expiresAt: Date;
  renewals: number;
}

export type ChannelHealth = 'healthy' | 'expiring' | 'expired';

/** Users' webhook channels (in memory, seeded with {@link SEED_WEBHOOK_CHANNELS}). */
@Injectable()
export class WebhookChannelService {
  private readonly channels = new Map<string, WebhookChannel>();

  constructor(
    private readonly users: UserService,
    private readonly google: FakeGoogleApi,
    private readonly clock: ClockService,
  ) {
    for (const seed of SEED_WEBHOOK_CHANNELS) this.register(seed.userId, seed.id, seed.calendarId, seed.expiresInSeconds);
  }

  /** Records a channel that expires `expiresInSeconds` from now (negative: already expired). */
  register(userId: string, channelId: string, calendarId: string, expiresInSeconds: number): WebhookChannel {
    const expiresAt = new Date(this.clock.now().getTime() + expiresInSeconds * 1000);
    const channel: WebhookChannel = { id: channelId, userId, calendarId, resourceId: `res-${channelId}`, expiresAt, renewals: 0 };
    this.channels.set(channelId, channel);
    return channel;
  }

  /** @throws RecordNotFoundError when missing or owned by another user */
  get(userId: string, channelId: string): WebhookChannel {
    const channel = this.channels.get(channelId);
    if (!channel || channel.userId !== userId) throw new RecordNotFoundError('Webhook channel', channelId, userId);
    return channel;
  }

  list(userId?: string): WebhookChannel[] {
    return [...this.channels.values()].filter((c) => userId === undefined || c.userId === userId);
  }

  /**
   * Re-watches the channel's calendar at Google, moving its expiry 7 days ahead.
   * @throws RecordNotFoundError, UserNotFoundError, AccountDisconnectedError, GoogleApiError
   */
  async renew(userId: string, channelId: string): Promise<{ channel: WebhookChannel; previousExpiresAt: Date }> {
    const channel = this.get(userId, channelId);
    const watched = await this.users.callGoogle(userId, () => this.google.watchCalendar(userId, channel.calendarId, channelId));
    const previousExpiresAt = channel.expiresAt;
    Object.assign(channel, { resourceId: watched.resourceId, expiresAt: watched.expiresAt, renewals: channel.renewals + 1 });
    return { channel, previousExpiresAt };
  }

  /** `expired` past its expiry, `expiring` within `withinMs`, else `healthy`. */
  health(channel: WebhookChannel, withinMs: number): ChannelHealth {
    const left = channel.expiresAt.getTime() - this.clock.now().getTime();
    return left <= 0 ? 'expired' : left <= withinMs ? 'expiring' : 'healthy';
  }
}
