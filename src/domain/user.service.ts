import { Injectable } from '@nestjs/common';
import { ClockService } from './clock.service.js';
import { AccountDisconnectedError, GoogleApiError, UserNotFoundError } from './domain.errors.js';
import { SEED_USERS } from './seed-data.js';

/** A user's Google OAuth grant. Never log these values. */
export interface OAuthTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  /** Set when Google reported the refresh token revoked (or the user disconnected). */
  revokedAt?: Date;
}

export interface User {
  id: string;
  name: string;
  email: string;
  tokens: OAuthTokens;
}

/** Options of {@link UserService.create}. */
export interface NewUser {
  name?: string;
  /** Seconds from now the access token expires (negative: already expired). Default 3600. */
  accessTokenExpiresInSeconds?: number;
  revoked?: boolean;
}

/** CatchUp users and their Google OAuth tokens (in memory, seeded with {@link SEED_USERS}). */
@Injectable()
export class UserService {
  private readonly users = new Map<string, User>();

  constructor(private readonly clock: ClockService) {
    for (const { id, ...init } of SEED_USERS) this.create(id, init);
  }

  /** Adds (or replaces) a user with a connected Google account. */
  create(userId: string, init: NewUser = {}): User {
    const now = this.clock.now().getTime();
    const user: User = {
      id: userId,
      name: init.name ?? userId,
      email: `${userId}@catchup.example`,
      tokens: {
        accessToken: `ya29.seed-${userId}`,
        accessTokenExpiresAt: new Date(now + (init.accessTokenExpiresInSeconds ?? 3600) * 1000),
        refreshToken: `1//seed-${userId}`,
        ...(init.revoked ? { revokedAt: new Date(now) } : {}),
      },
    };
    this.users.set(userId, user);
    return user;
  }

  find(userId: string): User | undefined {
    return this.users.get(userId);
  }

  /** @throws UserNotFoundError */
  get(userId: string): User {
    const user = this.users.get(userId);
    if (!user) throw new UserNotFoundError(userId);
    return user;
  }

  list(): User[] {
    return [...this.users.values()];
  }

  /** Records a freshly refreshed access token. */
  recordAccessToken(userId: string, accessToken: string, expiresAt: Date): void {
    const tokens = this.get(userId).tokens;
    tokens.accessToken = accessToken;
    tokens.accessTokenExpiresAt = expiresAt;
  }

  /** Marks the user's refresh token revoked. */
  revoke(userId: string): void {
    this.get(userId).tokens.revokedAt ??= this.clock.now();
  }

  /**
   * Runs a Google call on behalf of a connected user; a revoked-grant answer marks the user revoked.
   * @throws UserNotFoundError, AccountDisconnectedError, GoogleApiError
   */
  async callGoogle<T>(userId: string, call: () => Promise<T>): Promise<T> {
    if (this.get(userId).tokens.revokedAt) throw new AccountDisconnectedError(userId);
    try {
      return await call();
    } catch (error) {
      if (error instanceof GoogleApiError && error.kind === 'revoked') this.revoke(userId);
      throw error;
    }
  }
}
