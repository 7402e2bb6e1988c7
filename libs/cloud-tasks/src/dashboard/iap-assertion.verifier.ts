import { OAuth2Client, type TokenPayload } from 'google-auth-library';
import { SigningCerts } from '../auth/signing-certs.js';
import { TokenRejection } from '../errors/token-rejection.error.js';
import { IAP_ISSUER } from './dashboard.constants.js';

const ALGORITHM = 'ES256';
const MAX_LIFETIME_SECONDS = 3600;
const MAX_ASSERTION_LENGTH = 8192;

/**
 * Verifies Identity-Aware Proxy's signed header (`x-goog-iap-jwt-assertion`): an ES256 JWT checked by
 * google-auth-library against IAP's public keys (fetched and cached by {@link SigningCerts}, refreshed on an unknown
 * key id), issuer `https://cloud.google.com/iap`, the configured audience, and its expiry. Resolves the verified claims.
 * Reasons are written here: google-auth-library's messages may quote the token.
 */
export class IapAssertionVerifier {
  private readonly client = new OAuth2Client();
  private readonly certs: SigningCerts;

  constructor(
    private readonly audience: string,
    certsUrl: string,
  ) {
    this.certs = new SigningCerts(certsUrl);
  }

  async verify(assertion: string): Promise<TokenPayload> {
    const segments = assertion.length <= MAX_ASSERTION_LENGTH ? assertion.split('.') : [];
    if (segments.length !== 3 || !segments.every(canonicalBase64url)) throw new TokenRejection('IAP assertion is not a JWT', 401);
    const header = decode(segments[0]);
    if (header?.alg !== ALGORITHM) throw new TokenRejection(`IAP assertion is not signed with ${ALGORITHM}`, 401);
    if (typeof header.kid !== 'string' || !header.kid) throw new TokenRejection('IAP assertion has no key id (kid)', 401);
    const certs = await this.certs.withKey(header.kid);
    const key = certs.keys.get(header.kid);
    if (!key) throw new TokenRejection('IAP assertion key id (kid) is not one of the IAP keys', 401);
    let claims: TokenPayload | undefined;
    try {
      // NOTE: a KeyObject works wherever the library passes a PEM through to node:crypto (as OidcTokenVerifier does).
      const ticket = await this.client.verifySignedJwtWithCertsAsync(assertion, { [header.kid]: key as unknown as string }, this.audience, [IAP_ISSUER], MAX_LIFETIME_SECONDS);
      claims = ticket.getPayload();
    } catch (error) {
      throw refusal(error);
    }
    if (!claims || typeof claims.email !== 'string') throw new TokenRejection('IAP assertion has no email', 401);
    return claims;
  }
}

function refusal(error: unknown): TokenRejection {
  const message = error instanceof Error ? error.message : '';
  if (/^Invalid token signature/.test(message)) return new TokenRejection('IAP assertion signature is invalid', 401);
  if (/^Token used too late/.test(message)) return new TokenRejection('IAP assertion has expired', 401);
  if (/^Token used too early/.test(message)) return new TokenRejection('IAP assertion was issued in the future', 401);
  if (/^Wrong recipient/.test(message)) return new TokenRejection('IAP assertion audience is not accepted', 401);
  if (/^Invalid issuer/.test(message)) return new TokenRejection('IAP assertion issuer is not IAP', 401);
  return new TokenRejection('IAP assertion could not be verified', 401);
}

function canonicalBase64url(segment: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(segment) && Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

function decode(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
