import type { IncomingHttpHeaders } from 'node:http';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OAuth2Client, type TokenPayload } from 'google-auth-library';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import type { JobCaller } from '../delivery/job-delivery.js';
import { TokenRejection } from '../errors/token-rejection.error.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { GOOGLE_CERTS_URL, SigningCerts, type CertSet } from './signing-certs.js';
import { TokenVerifier } from './token-verifier.js';

/** Signature Cloud Run puts in place of the real one when it forwards a token it has already verified. */
export const SIGNATURE_REMOVED = 'SIGNATURE_REMOVED_BY_GOOGLE';
/** The only algorithm Google signs ID tokens with. */
const ALGORITHM = 'RS256';
const VERIFIED_TOKEN_CACHE_SIZE = 256;
const MAX_TOKEN_LIFETIME_SECONDS = 86_400;
/** Google ID tokens are about 1 KiB; anything far larger is not one (and is not worth decoding). */
const MAX_TOKEN_LENGTH = 8192;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** A token whose signature verified against `certs`, and its claims. */
interface VerifiedToken {
  token: string;
  claims: TokenPayload;
  certs: CertSet;
}

interface JwtHeader {
  alg?: unknown;
  kid?: unknown;
}

/**
 * The default {@link TokenVerifier}: Cloud Tasks' OIDC token, its signature verified by google-auth-library against
 * the signing certs ({@link SigningCerts}: fetched at boot, kept for their max-age, refreshed on an unknown key id, a
 * failing certs URL backed off). Each step is a protected method: extend the class and provide it as `TokenVerifier`.
 *
 * - `verify-signature`: RS256 signature against Google's certs (or `auth.certsUrl`), `iss`, `aud`, `iat`/`exp`
 *   within the skew, then `email` ∈ allow-list and `email_verified === true`.
 * - `cloud-run-iam`: a token whose signature is `SIGNATURE_REMOVED_BY_GOOGLE` is judged on its claims alone
 *   (Cloud Run IAM verified it at the front door); a really signed one is verified as above.
 *
 * Missing or invalid token → 401; valid token of another identity → 403; signing certs unreachable → 503. Reasons are
 * written here: messages of google-auth-library are never passed on, because some of them quote the token.
 */
@Injectable()
export class OidcTokenVerifier extends TokenVerifier implements OnApplicationBootstrap {
  protected readonly logger = new Logger('CloudTasks');
  protected readonly client = new OAuth2Client();
  protected readonly certs: SigningCerts;
  /**
   * Tokens whose signature already verified against the current certs → their claims. Cloud Tasks reuses a token
   * for many dispatches; claims (expiry, audience, identity) are still checked on every request.
   */
  private readonly verifiedTokens = new Map<string, VerifiedToken>();
  /** The last token looked up: Cloud Tasks sends the same one for many dispatches, and `===` is cheaper than hashing it. */
  private lastVerified?: VerifiedToken;

  constructor(@InjectResolvedOptions() protected readonly options: ResolvedCloudTasksOptions) {
    super();
    this.certs = new SigningCerts(options.auth.certsUrl ?? GOOGLE_CERTS_URL);
  }

  /** Fetches the signing certs at boot, off the first request's path (a failure is logged; requests fetch again). */
  onApplicationBootstrap(): void {
    if (this.options.auth.mode === 'none') return;
    this.certs.get().catch((error: unknown) => this.logger.warn({ msg: 'could not prefetch the signing certificates; the first job request fetches them', error: certsFailure(error) }));
  }

  async verify(headers: IncomingHttpHeaders): Promise<JobCaller> {
    const token = this.extractToken(headers);
    if (!token) throw new TokenRejection('Missing Authorization: Bearer token', 401);
    const claims = await this.verifyToken(token);
    this.checkIdentity(claims);
    return { email: claims.email, claims: claims as unknown as Readonly<Record<string, unknown>> };
  }

  /**
   * The token to judge. Cloud Run checks `X-Serverless-Authorization` when a request carries it and passes
   * `Authorization` through unchanged: in `cloud-run-iam` mode that header is the one Cloud Run verified, so it is the
   * one judged. In `verify-signature` mode the token presented is verified, and two different tokens are refused.
   */
  protected extractToken(headers: IncomingHttpHeaders): string | undefined {
    const serverless = headers['x-serverless-authorization'];
    const authorization = headers.authorization;
    if (this.options.auth.mode === 'cloud-run-iam' && serverless !== undefined) return bearer(serverless);
    const [a, b] = [bearer(authorization), bearer(serverless)];
    if (a && b && a !== b) throw new TokenRejection('Authorization and X-Serverless-Authorization carry different tokens', 401);
    return a ?? b;
  }

  /** Verifies the token per auth mode; resolves its claims. */
  protected async verifyToken(token: string): Promise<TokenPayload> {
    // NOTE: a Map lookup hashes the whole token (about 1 KiB) on every request; comparing with the last one does not.
    const known = this.lastVerified?.token === token ? this.lastVerified : this.verifiedTokens.get(token);
    if (known && known.certs === this.certs.peek()) {
      this.lastVerified = known;
      this.checkClaims(known.claims);
      return known.claims;
    }
    const segments = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
    if (segments.length !== 3) throw new TokenRejection('Token is not a JWT', 401);
    const header = decodeSegment(segments[0]) as JwtHeader | undefined;
    if (!header) throw new TokenRejection('Token header is not a JSON object', 401);
    const claims = decodeSegment(segments[1]) as TokenPayload | undefined;
    if (!claims) throw new TokenRejection('Token claims are not a JSON object', 401);
    if (header.alg !== ALGORITHM) throw new TokenRejection(`Token algorithm ${show(header.alg)} is not ${ALGORITHM}`, 401);

    if (segments[2] === SIGNATURE_REMOVED) {
      if (this.options.auth.mode !== 'cloud-run-iam') throw new TokenRejection('Token signature was removed; only accepted in cloud-run-iam mode', 401);
      this.checkClaims(claims);
      return claims;
    }

    if (!canonicalBase64url(segments[2])) throw new TokenRejection('Token signature is not canonical base64url', 401);
    if (typeof header.kid !== 'string' || !header.kid) throw new TokenRejection('Token header has no key id (kid)', 401);
    const certs = await this.certs.withKey(header.kid);
    const key = certs.keys.get(header.kid);
    if (!key) throw new TokenRejection('Token key id (kid) is not one of the signing certificates', 401);
    const { audience, issuers } = this.options.auth;
    let verified: TokenPayload | undefined;
    try {
      // NOTE: Node's verifier takes a KeyObject wherever it takes a PEM; the library passes the value through, so the
      // certificate is parsed once per certs set instead of on every verification.
      const ticket = await this.client.verifySignedJwtWithCertsAsync(token, { [header.kid]: key as unknown as string }, audience, issuers, MAX_TOKEN_LIFETIME_SECONDS);
      verified = ticket.getPayload();
    } catch (error) {
      throw this.explainLibraryRefusal(error, claims);
    }
    if (!verified) throw new TokenRejection('Token has no claims', 401);
    this.checkClaims(verified);
    this.remember(token, verified, certs);
    return verified;
  }

  private remember(token: string, claims: TokenPayload, certs: CertSet): void {
    if (this.verifiedTokens.size >= VERIFIED_TOKEN_CACHE_SIZE) this.verifiedTokens.delete(this.verifiedTokens.keys().next().value!);
    this.lastVerified = { token, claims, certs };
    this.verifiedTokens.set(token, this.lastVerified);
  }

  /**
   * Turns a refusal of google-auth-library into a reason of ours (its messages may quote the token). The library
   * checks the signature before any claim, so a claim error means the signature was good: our own claim checks then
   * name the problem precisely.
   */
  protected explainLibraryRefusal(error: unknown, claims: TokenPayload): TokenRejection {
    const message = error instanceof Error ? error.message : '';
    if (/^Invalid token signature/.test(message)) return new TokenRejection('Token signature is invalid', 401);
    if (/^No pem found/.test(message)) return new TokenRejection('Token key id (kid) is not one of the signing certificates', 401);
    if (/^(No issue time|No expiration time|iat field|exp field|Expiration time too far|Token used too|Invalid issuer|Wrong recipient)/.test(message)) {
      try {
        this.checkClaims(claims);
      } catch (rejection) {
        if (rejection instanceof TokenRejection) return rejection;
      }
      if (/^Expiration time too far/.test(message)) return new TokenRejection('Token lifetime is too long', 401);
      if (/^Token used too early/.test(message)) return new TokenRejection('Token was issued in the future', 401);
      if (/^Token used too late/.test(message)) return new TokenRejection('Token has expired', 401);
      if (/^Invalid issuer/.test(message)) return new TokenRejection('Token issuer is not accepted', 401);
      if (/^Wrong recipient/.test(message)) return new TokenRejection('Token audience is not accepted', 401);
      return new TokenRejection('Token has no valid iat/exp', 401);
    }
    return new TokenRejection('Token could not be verified', 401);
  }

  /**
   * Claims every accepted token must satisfy: issuer, audience, `iat`/`exp` within the configured skew (tighter than
   * google-auth-library's fixed 5 minutes), and a lifetime of at most a day.
   */
  protected checkClaims(claims: TokenPayload): void {
    const { issuers, audience, clockSkewSeconds } = this.options.auth;
    if (typeof claims.iss !== 'string' || !issuers.includes(claims.iss)) throw new TokenRejection(`Token issuer ${show(claims.iss)} is not accepted`, 401);
    // NOTE: Google puts one audience in `aud`, a string; an array is not what Cloud Tasks sends.
    if (claims.aud !== audience) throw new TokenRejection(`Token audience ${show(claims.aud)} is not ${audience}`, 401);
    const { exp, iat } = claims as { exp: unknown; iat: unknown };
    if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenRejection('Token has no valid expiry (exp)', 401);
    if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new TokenRejection('Token has no valid issue time (iat)', 401);
    const now = Date.now() / 1000;
    if (exp < iat) throw new TokenRejection('Token expires before it was issued (exp < iat)', 401);
    if (exp + clockSkewSeconds < now) throw new TokenRejection('Token has expired', 401);
    if (iat - clockSkewSeconds > now) throw new TokenRejection('Token was issued in the future', 401);
    if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS) throw new TokenRejection('Token lifetime is too long', 401);
    const { nbf } = claims as { nbf?: unknown };
    if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) throw new TokenRejection('Token has an invalid not-before time (nbf)', 401);
    if (typeof nbf === 'number' && nbf - clockSkewSeconds > now) throw new TokenRejection('Token is not valid yet (nbf)', 401);
  }

  /** The caller must be an allowed service account with a verified email (google-auth-library checks neither). */
  protected checkIdentity(claims: TokenPayload): void {
    const email: unknown = claims.email;
    if (typeof email !== 'string' || !this.options.auth.allowedServiceAccounts.includes(email)) {
      throw new TokenRejection(`Identity ${show(email ?? null)} is not allowed to run jobs`, 403);
    }
    if (claims.email_verified !== true) throw new TokenRejection(`Identity ${show(email)} has no verified email`, 403);
  }
}

/** The token of a `Bearer` header, if it is one. */
function bearer(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value ? BEARER.exec(value)?.[1] : undefined;
}

/** True when `segment` is canonical base64url (no padding, no `+/`, no stray bits), as JWTs require. */
function canonicalBase64url(segment: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(segment) && segment.length % 4 !== 1 && Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

/** A JSON object from a base64url JWT segment, or undefined. */
function decodeSegment(segment: string): Record<string, unknown> | undefined {
  if (!canonicalBase64url(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A claim value for a reason: JSON-quoted, line and direction separators escaped too (no forged log lines), short. */
function show(value: unknown): string {
  const text = (JSON.stringify(value) ?? String(value)).replace(/[\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

/** Why the certs fetch failed, for the log (that error concerns the certs URL, never the token). */
export function certsFailure(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  return cause instanceof Error ? cause.message.slice(0, 300) : String(cause).slice(0, 300);
}
