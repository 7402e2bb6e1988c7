import {
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { OAuth2Client, type TokenPayload } from 'google-auth-library';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { headerValue, type JobRequest } from '../http/job-delivery.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';

/** Signature Cloud Run puts in place of the real one when it forwards a token it has already verified. */
export const SIGNATURE_REMOVED = 'SIGNATURE_REMOVED_BY_GOOGLE';
const MAX_TOKEN_LIFETIME_SECONDS = 86_400;

/** Why a token was refused (401) or its identity rejected (403). Never carries the token. */
export class TokenRejection extends Error {
  constructor(
    message: string,
    readonly status: 401 | 403,
  ) {
    super(message);
  }
}

/**
 * Authenticates Cloud Tasks' OIDC token on the job endpoint (DESIGN §4 step 1). One `OAuth2Client` is reused so the
 * signing certs stay cached for their max-age. Each step is a protected method you can override.
 *
 * - `verify-signature`: RS256 signature against Google's certs (or `auth.certsUrl`), `iss`, `aud`, `iat`/`exp`
 *   within the skew, then `email` ∈ allow-list and `email_verified === true`.
 * - `cloud-run-iam`: a token whose signature is `SIGNATURE_REMOVED_BY_GOOGLE` is judged on its claims alone
 *   (Cloud Run IAM verified it at the front door); a really signed one is verified as above.
 * - `none`: lets everything through (local runs only; refused at boot in production).
 *
 * Missing or invalid token → 401; valid token of another identity → 403.
 */
@Injectable()
export class OidcAuthGuard implements CanActivate {
  protected readonly logger = new Logger('CloudTasks');
  protected readonly client: OAuth2Client;

  constructor(@InjectResolvedOptions() protected readonly options: ResolvedCloudTasksOptions) {
    const certsUrl = options.auth.certsUrl;
    this.client = new OAuth2Client(certsUrl ? { endpoints: { oauth2FederatedSignonPemCertsUrl: certsUrl } } : {});
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.options.auth.mode === 'none') return true;
    const request = context.switchToHttp().getRequest<JobRequest & { cloudTasksCaller?: TokenPayload }>();
    try {
      const token = this.extractToken(request);
      if (!token) throw new TokenRejection('Missing Authorization: Bearer token', 401);
      const payload = await this.verifyToken(token);
      this.checkIdentity(payload);
      request.cloudTasksCaller = payload;
      return true;
    } catch (error) {
      const rejection = error instanceof TokenRejection ? error : new TokenRejection(`Invalid token: ${sanitize((error as Error).message)}`, 401);
      this.logger.warn({ msg: 'job request refused', status: rejection.status, reason: rejection.message, jobName: request.params?.jobName, ip: (request as { ip?: string }).ip });
      throw rejection.status === 401 ? new UnauthorizedException(rejection.message) : new ForbiddenException(rejection.message);
    }
  }

  /** The bearer token of the request, if any. */
  protected extractToken(request: JobRequest): string | undefined {
    const header = headerValue(request, 'authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return match?.[1];
  }

  /** Verifies the token per auth mode; resolves its claims. */
  protected async verifyToken(token: string): Promise<TokenPayload> {
    const segments = token.split('.');
    if (segments.length !== 3) throw new TokenRejection('Token is not a JWT', 401);
    const header = decodeSegment(segments[0]) as { alg?: unknown } | undefined;
    if (!header) throw new TokenRejection('Token header is not valid JSON', 401);
    if (segments[2] === SIGNATURE_REMOVED) {
      if (this.options.auth.mode !== 'cloud-run-iam') throw new TokenRejection('Token signature was removed; only accepted in cloud-run-iam mode', 401);
      const claims = decodeSegment(segments[1]) as TokenPayload | undefined;
      if (!claims) throw new TokenRejection('Token payload is not valid JSON', 401);
      this.checkClaims(claims);
      return claims;
    }
    if (header.alg !== 'RS256') throw new TokenRejection(`Token algorithm ${JSON.stringify(header.alg)} is not RS256`, 401);
    const { certs } = await this.client.getFederatedSignonCertsAsync();
    const ticket = await this.client.verifySignedJwtWithCertsAsync(token, certs, this.options.auth.audience, this.options.auth.issuers, MAX_TOKEN_LIFETIME_SECONDS);
    const claims = ticket.getPayload();
    if (!claims) throw new TokenRejection('Token has no payload', 401);
    this.checkClaims(claims);
    return claims;
  }

  /**
   * Claims every accepted token must satisfy: issuer, audience, `iat`/`exp` within the configured skew (tighter than
   * google-auth-library's fixed 5 minutes).
   */
  protected checkClaims(claims: TokenPayload): void {
    const { issuers, audience, clockSkewSeconds } = this.options.auth;
    if (!claims.iss || !issuers.includes(claims.iss)) throw new TokenRejection(`Token issuer ${JSON.stringify(claims.iss)} is not accepted`, 401);
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(audience)) throw new TokenRejection(`Token audience ${JSON.stringify(claims.aud)} is not ${audience}`, 401);
    const now = Date.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp + clockSkewSeconds < now) throw new TokenRejection('Token has expired', 401);
    if (typeof claims.iat !== 'number' || claims.iat - clockSkewSeconds > now) throw new TokenRejection('Token was issued in the future', 401);
    if (claims.exp - claims.iat > MAX_TOKEN_LIFETIME_SECONDS) throw new TokenRejection('Token lifetime is too long', 401);
  }

  /** The caller must be an allowed service account with a verified email (google-auth-library checks neither). */
  protected checkIdentity(claims: TokenPayload): void {
    if (!claims.email || !this.options.auth.allowedServiceAccounts.includes(claims.email)) {
      throw new TokenRejection(`Identity ${JSON.stringify(claims.email ?? null)} is not allowed to run jobs`, 403);
    }
    if (claims.email_verified !== true) throw new TokenRejection(`Identity ${claims.email} has no verified email`, 403);
  }
}

function decodeSegment(segment: string): unknown {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** google-auth-library puts the whole token or its claims in some messages: keep only the reason. */
function sanitize(message: string): string {
  return message
    .replace(/[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[token]')
    .replace(/:\s*\{.*$/s, '')
    .slice(0, 200);
}
