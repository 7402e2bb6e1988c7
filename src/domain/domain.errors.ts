/** The faults `FakeGoogleApi.failNext()` can inject, as Google would report them. */
export type GoogleFaultKind = 'transient' | 'rate-limit' | 'revoked';

const STATUS: Record<GoogleFaultKind, number> = { transient: 503, 'rate-limit': 429, revoked: 401 };
const MESSAGE: Record<GoogleFaultKind, string> = {
  transient: 'The service is currently unavailable.',
  'rate-limit': 'Quota exceeded for quota metric: requests per minute per user.',
  revoked: 'invalid_grant: Token has been expired or revoked.',
};

/** An error answered by (the fake) Google: `statusCode` 503, 429 or 401 (revoked grant). */
export class GoogleApiError extends Error {
  override readonly name = 'GoogleApiError';
  readonly statusCode: number;

  constructor(
    readonly kind: GoogleFaultKind,
    readonly method: string,
  ) {
    super(`Google ${method}: ${STATUS[kind]} ${MESSAGE[kind]}`);
    this.statusCode = STATUS[kind];
  }

  /** True for 429/5xx: worth retrying later. */
  get retryable(): boolean {
    return this.kind !== 'revoked';
  }
}

/** No CatchUp user has this id. */
export class UserNotFoundError extends Error {
  override readonly name = 'UserNotFoundError';
  constructor(readonly userId: string) {
    super(`User ${userId} does not exist`);
  }
}

/** The user's Google refresh token was revoked: nothing can reach Google for them until they reconnect. */
export class AccountDisconnectedError extends Error {
  override readonly name = 'AccountDisconnectedError';
  constructor(readonly userId: string) {
    super(`User ${userId} has revoked CatchUp's Google access; they must reconnect their account`);
  }
}

/** A reminder, webhook channel or other record does not exist (or belongs to another user). */
export class RecordNotFoundError extends Error {
  override readonly name = 'RecordNotFoundError';
  constructor(kind: string, id: string, userId?: string) {
    super(`${kind} ${id} not found${userId ? ` for user ${userId}` : ''}`);
  }
}
