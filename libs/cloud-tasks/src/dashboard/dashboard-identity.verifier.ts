import type { IncomingHttpHeaders } from 'node:http';
import type { TokenPayload } from 'google-auth-library';
import { GOOGLE_ISSUERS } from '../cloud-tasks.constants.js';
import { OidcTokenVerifier } from '../auth/oidc-token.verifier.js';
import { TokenRejection } from '../errors/token-rejection.error.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { IAP_ASSERTION_HEADER } from './dashboard.constants.js';
import { DASHBOARD_IDENTITY_NOT_ALLOWED, DASHBOARD_TOKEN_MISSING } from './dashboard.messages.js';
import type { ResolvedDashboardOptions } from './resolved-dashboard-options.js';
import { IapAssertionVerifier } from './iap-assertion.verifier.js';

/** Who opened the dashboard, and which token said so. */
export interface DashboardIdentity {
  email: string;
  via: 'iap' | 'oidc';
}

type Identities = NonNullable<ResolvedDashboardOptions['identities']>;

/**
 * The job endpoint's OIDC verifier (signature, issuer, audience, expiry, `email_verified`), with the dashboard's
 * audience and allow-list in place of the job endpoint's.
 */
class DashboardOidcVerifier extends OidcTokenVerifier {
  protected override checkIdentity(claims: TokenPayload): void {
    const email = typeof claims.email === 'string' ? claims.email : '';
    if (!email || !this.options.auth.allowedServiceAccounts.includes(email.toLowerCase())) throw new TokenRejection(DASHBOARD_IDENTITY_NOT_ALLOWED(JSON.stringify(email || null)), 403);
    if (claims.email_verified !== true) throw new TokenRejection(`Identity ${JSON.stringify(email)} has no verified email`, 403);
  }
}

/**
 * Resolves the identity of a dashboard request from a Google-signed token: IAP's assertion header when IAP is
 * configured and the header is there, else an OIDC ID token in `Authorization: Bearer`. 401 without a valid token,
 * 403 for a valid token of someone not in `allow`, 503 when the signing keys cannot be fetched.
 */
export class DashboardIdentityVerifier {
  private readonly allow: ReadonlySet<string>;
  private readonly iap?: IapAssertionVerifier;
  private readonly oidc?: DashboardOidcVerifier;

  constructor(identities: Identities, options: ResolvedCloudTasksOptions) {
    this.allow = new Set(identities.allow);
    if (identities.iap) this.iap = new IapAssertionVerifier(identities.iap.audience, identities.iap.certsUrl);
    if (identities.oidc) {
      const { audience, issuers, certsUrl, mode } = identities.oidc;
      this.oidc = new DashboardOidcVerifier({
        ...options,
        auth: { ...options.auth, mode: mode ?? 'verify-signature', audience, allowedServiceAccounts: identities.allow, issuers: issuers ?? GOOGLE_ISSUERS, certsUrl },
      });
    }
  }

  async verify(headers: IncomingHttpHeaders): Promise<DashboardIdentity> {
    const assertion = headers[IAP_ASSERTION_HEADER];
    if (this.iap && typeof assertion === 'string') {
      const claims = await this.iap.verify(assertion);
      const email = String(claims.email);
      if (!this.allow.has(email.toLowerCase())) throw new TokenRejection(DASHBOARD_IDENTITY_NOT_ALLOWED(JSON.stringify(email)), 403);
      return { email, via: 'iap' };
    }
    if (this.oidc && (headers.authorization !== undefined || headers['x-serverless-authorization'] !== undefined)) {
      const caller = await this.oidc.verify(headers);
      return { email: caller.email ?? '', via: 'oidc' };
    }
    const expected = [this.iap ? `${IAP_ASSERTION_HEADER} from Identity-Aware Proxy` : '', this.oidc ? 'Authorization: Bearer <Google ID token>' : ''].filter(Boolean);
    throw new TokenRejection(DASHBOARD_TOKEN_MISSING(expected.join(' or ')), 401);
  }
}
