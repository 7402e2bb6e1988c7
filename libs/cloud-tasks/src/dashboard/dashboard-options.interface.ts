import type { CanActivate, Type } from '@nestjs/common';

/**
 * Who may see the dashboard, as identities verified from a Google-signed token. Configure `iap`, `oidc` or both (a
 * request then passes with either token); the token's `email` must be in `allow`.
 */
export interface DashboardIdentityOptions {
  /** Emails allowed to open the dashboard (compared case-insensitively), e.g. `['ops@example.com']`. Required. */
  allow: string[];
  /**
   * Behind Identity-Aware Proxy: the `x-goog-iap-jwt-assertion` header IAP adds, verified (ES256, issuer
   * `https://cloud.google.com/iap`) against IAP's public keys. `audience` is the one IAP signs for:
   * `/projects/PROJECT_NUMBER/global/backendServices/SERVICE_ID` (load balancer) or `/projects/PROJECT_NUMBER/apps/PROJECT_ID`.
   */
  iap?: {
    audience: string;
    /** Where IAP's public keys are fetched. Default `https://www.gstatic.com/iap/verify/public_key`. */
    certsUrl?: string;
  };
  /**
   * A Google OIDC ID token in `Authorization: Bearer` (as `gcloud run services proxy` or a Cloud Run IAM front door
   * passes it): RS256 signature against Google's certs, issuer, `aud` = `audience`, expiry, `email_verified`.
   */
  oidc?: {
    audience: string;
    /**
     * `'verify-signature'` (default) verifies every token's signature. `'cloud-run-iam'` also accepts a token whose
     * signature Cloud Run replaced with `SIGNATURE_REMOVED_BY_GOOGLE` after verifying it at its front door, judged on
     * its claims: only safe when the service allows no unauthenticated invocations (no `allUsers` invoker).
     */
    mode?: 'verify-signature' | 'cloud-run-iam';
    /** Accepted `iss` values. Default Google's (`https://accounts.google.com`, `accounts.google.com`). */
    issuers?: string[];
    /** Where the signing certs are fetched (PEM map). Default Google's. */
    certsUrl?: string;
  };
}

/**
 * The access check in front of the dashboard. At least one of `guard` and `identities` is required unless the module
 * runs in local mode (an emulator, the inline transport, the testing module), where the dashboard may be open. When
 * both are given, a request must pass both.
 */
export interface DashboardAccessOptions {
  /**
   * A guard of your app (your admin guard): a class, built with the dashboard module's injector (add what it needs to
   * `forRootAsync({ imports })`), or an instance. It runs with the dashboard's `ExecutionContext`; false → 403.
   */
  guard?: Type<CanActivate> | CanActivate;
  /** Identities verified from a Google-signed token (IAP or an OIDC ID token). */
  identities?: DashboardIdentityOptions;
}

/** Options of `CloudTasksDashboardModule.forRoot()` / `forRootAsync()`. */
export interface CloudTasksDashboardOptions {
  /** Path of the page in the app (under any global prefix). Default `'_jobs'`. */
  path?: string;
  /** The access check. Required outside local mode (a boot error otherwise). */
  access?: DashboardAccessOptions;
  /** How many recent deliveries of this instance are kept for the page. Default 200. */
  recentDeliveries?: number;
  /** How many recent durations per job the p95 is computed over. Default 500. */
  statsWindow?: number;
  /**
   * Secret the forms' CSRF tokens are signed with (at least 32 characters). Default: a random one per process, so a
   * form served by one instance is refused by another: set it when several instances serve the dashboard without
   * session affinity.
   */
  csrfSecret?: string;
  /**
   * How long the queues' live state (a `getQueue` and a `listTasks` page per queue) is reused, in seconds, so that
   * reloads do not spend Cloud Tasks API quota. Default 5; 0 reads it on every page view.
   */
  queueStateTtlSeconds?: number;
}
