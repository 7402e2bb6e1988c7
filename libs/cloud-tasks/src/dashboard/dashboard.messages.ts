export const DASHBOARD_WITHOUT_ACCESS = (path: string) =>
  `CloudTasksDashboardModule would serve /${path} without an access check outside local mode (the module talks to real Cloud Tasks). ` +
  "Set access.guard (a CanActivate of your app, e.g. your admin guard), or access.identities: { allow: ['you@example.com'], iap: { audience: '/projects/NUMBER/global/backendServices/ID' } } behind Identity-Aware Proxy, or oidc: { audience } for a Google ID token in Authorization: Bearer.";

export const DASHBOARD_IDENTITIES_WITHOUT_TOKEN =
  'CloudTasksDashboardModule access.identities needs iap: { audience } (behind Identity-Aware Proxy) or oidc: { audience } (a Google ID token in Authorization: Bearer), or both: the allow-list is checked against the verified token.';

export const DASHBOARD_EMPTY_ALLOW_LIST =
  "CloudTasksDashboardModule access.identities.allow is empty: no one could open the dashboard. List the emails allowed, e.g. allow: ['ops@example.com'].";

export const DASHBOARD_EMPTY_AUDIENCE = (which: 'iap' | 'oidc') =>
  `CloudTasksDashboardModule access.identities.${which}.audience is empty: tokens are only accepted for an audience you name.`;

export const DASHBOARD_BAD_PATH = (path: string) =>
  `CloudTasksDashboardModule path "${path}" is not a plain URL path (letters, digits, "-", "_", "." and "/" between segments). Use e.g. '_jobs' or 'admin/jobs'.`;

export const DASHBOARD_PATH_IS_JOB_PATH = (path: string) =>
  `CloudTasksDashboardModule path "${path}" lies under the job endpoint's handlerPath: pick another path (e.g. '_jobs').`;

export const DASHBOARD_SHORT_CSRF_SECRET =
  'CloudTasksDashboardModule csrfSecret must be at least 32 characters (or leave it unset for a random one per process).';

export const DASHBOARD_BAD_NUMBER = (option: string, min: number, max: number) =>
  `CloudTasksDashboardModule ${option} must be a whole number from ${min} to ${max}.`;

export const DASHBOARD_GUARD_NOT_A_GUARD = (name: string) =>
  `CloudTasksDashboardModule access.guard ${name} has no canActivate(context) method: pass a CanActivate class or instance.`;

export const DASHBOARD_CSRF_REFUSED =
  'This form was not sent from the dashboard or has gone stale (CSRF token missing or wrong): reload the dashboard and try again.';

export const DASHBOARD_CROSS_SITE =
  'Cross-site form posts are refused by the jobs dashboard.';

export const DASHBOARD_TOKEN_MISSING = (headers: string) => `Jobs dashboard: no identity token (${headers}).`;

export const DASHBOARD_IDENTITY_NOT_ALLOWED = (email: string) => `Identity ${email} is not allowed on the jobs dashboard.`;

export const DASHBOARD_GUARD_REFUSED = 'The access check of the jobs dashboard refused this request.';

export const DASHBOARD_CLOUD_RUN_IAM_WARNING =
  'Jobs dashboard access.identities.oidc.mode "cloud-run-iam": tokens whose signature Cloud Run replaced with SIGNATURE_REMOVED_BY_GOOGLE are accepted on their claims. This is only safe when the service does not allow unauthenticated invocations (no allUsers run.invoker binding).';
