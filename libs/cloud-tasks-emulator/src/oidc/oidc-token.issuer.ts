import { createHash, sign, type KeyObject } from 'node:crypto';
import { DEFAULT_ISSUER, OIDC_TOKEN_LIFETIME_S, OIDC_TOKEN_REFRESH_MARGIN_S } from '../emulator.constants.js';
import type { IdTokenSource } from '../dispatch/dispatch.loop.js';
import { generateSigningKey, type SigningKey } from './signing-key.store.js';

/** JWT claims; any JSON value. */
export type JwtClaims = Record<string, unknown>;

/** Options of {@link OidcTokenIssuer.signToken}. */
export interface SignTokenOptions {
  /** Extra or overriding JOSE header fields (e.g. a foreign `kid`). */
  header?: Record<string, unknown>;
  /** Fill `iat` (now) and `exp` (`iat` + lifetime) when the claims lack them. Default true. */
  fillTimes?: boolean;
  /** Lifetime in seconds used for a missing `exp` (default 3600). */
  expiresInSeconds?: number;
}

/**
 * The emulator's stand-in for Google's token service: an RSA-2048 key (kept in a file, see `signing-key.store.ts`), published as a self-signed
 * certificate in the v1 certs format, and Google-shaped OIDC tokens signed with it. `iat`/`exp` use the real wall
 * clock (never the scaled one) so standard verifiers accept them.
 */
export class OidcTokenIssuer implements IdTokenSource {
  private readonly cache = new Map<string, { token: string; exp: number }>();

  private constructor(
    readonly issuer: string,
    readonly kid: string,
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    private readonly certificatePem: string,
    private readonly wallClock: () => number,
  ) {}

  static async create(options: { issuer?: string; wallClock?: () => number; key?: SigningKey } = {}): Promise<OidcTokenIssuer> {
    const { privateKey, publicKey, certificatePem } = options.key ?? (await generateSigningKey());
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const kid = createHash('sha1').update(spki).digest('hex');
    return new OidcTokenIssuer(options.issuer ?? DEFAULT_ISSUER, kid, privateKey, publicKey, certificatePem, options.wallClock ?? Date.now);
  }

  /** The OpenID Provider metadata an issuer-discovery verifier reads, with the JWKS at `jwksUri`. */
  discoveryDocument(jwksUri: string): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      claims_supported: ['aud', 'azp', 'email', 'email_verified', 'exp', 'iat', 'iss', 'sub'],
    };
  }

  /** `{ kid: PEM certificate }`, the body of Google's https://www.googleapis.com/oauth2/v1/certs. */
  pemCertificates(): Record<string, string> {
    return { [this.kid]: this.certificatePem };
  }

  /** `{ keys: [JWK] }`, the body of Google's https://www.googleapis.com/oauth2/v3/certs. */
  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ ...jwk, kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  /** Signs `claims` as an RS256 JWT with the emulator's key. */
  signToken(claims: JwtClaims, options: SignTokenOptions = {}): string {
    const payload: JwtClaims = { ...claims };
    if (options.fillTimes !== false) {
      const iat = typeof payload.iat === 'number' ? payload.iat : Math.floor(this.wallClock() / 1000);
      payload.iat ??= iat;
      payload.exp ??= iat + (options.expiresInSeconds ?? OIDC_TOKEN_LIFETIME_S);
    }
    const header = { alg: 'RS256', kid: this.kid, typ: 'JWT', ...options.header };
    const signingInput = `${base64url(header)}.${base64url(payload)}`;
    return `${signingInput}.${sign('sha256', Buffer.from(signingInput), this.privateKey).toString('base64url')}`;
  }

  /** The token a dispatch to `audience` as `serviceAccountEmail` carries, cached until 5 minutes before it expires. */
  idToken(serviceAccountEmail: string, audience: string): string {
    const key = `${serviceAccountEmail}\n${audience}`;
    const now = Math.floor(this.wallClock() / 1000);
    const cached = this.cache.get(key);
    if (cached && cached.exp - now > OIDC_TOKEN_REFRESH_MARGIN_S) return cached.token;
    const id = numericSubject(serviceAccountEmail);
    const exp = now + OIDC_TOKEN_LIFETIME_S;
    const token = this.signToken({
      aud: audience,
      azp: id,
      email: serviceAccountEmail,
      email_verified: true,
      exp,
      iat: now,
      iss: this.issuer,
      sub: id,
    });
    this.cache.set(key, { token, exp });
    return token;
  }
}

/** A stable 21-digit id for an email, shaped like a Google service account's unique id. */
export function numericSubject(email: string): string {
  const n = createHash('sha256').update(email).digest().readBigUInt64BE(0) % 10n ** 20n;
  return `1${n.toString().padStart(20, '0')}`;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
