/**
 * Why a token was refused (401), its identity rejected (403), or it could not be checked at all (503: the signing
 * certificates could not be fetched). The message is what is logged and answered: it never carries the token.
 * Throw it from a {@link TokenVerifier} of your own.
 */
export class TokenRejection extends Error {
  override readonly name = 'TokenRejection';
  constructor(
    message: string,
    readonly status: 401 | 403 | 503,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
