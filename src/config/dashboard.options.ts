import type { CloudTasksDashboardOptions } from '@nest-cloud-tasks/core';
import type { AppEnv } from './app-env.js';

/**
 * The jobs dashboard's options from the environment. With no allow-list it has no access check: fine in local mode
 * (it is open, and says so), a boot error of CloudTasksDashboardModule anywhere else.
 */
export function dashboardOptions(env: AppEnv): CloudTasksDashboardOptions {
  const allow = env.JOBS_DASHBOARD_ALLOW;
  const identities =
    allow && (env.JOBS_DASHBOARD_IAP_AUDIENCE || env.JOBS_DASHBOARD_OIDC_AUDIENCE)
      ? {
          allow,
          ...(env.JOBS_DASHBOARD_IAP_AUDIENCE ? { iap: { audience: env.JOBS_DASHBOARD_IAP_AUDIENCE } } : {}),
          ...(env.JOBS_DASHBOARD_OIDC_AUDIENCE
            ? { oidc: { audience: env.JOBS_DASHBOARD_OIDC_AUDIENCE, ...(env.JOBS_DASHBOARD_OIDC_CERTS_URL ? { certsUrl: env.JOBS_DASHBOARD_OIDC_CERTS_URL } : {}) } }
            : {}),
        }
      : undefined;
  return {
    ...(env.JOBS_DASHBOARD_PATH ? { path: env.JOBS_DASHBOARD_PATH } : {}),
    ...(identities ? { access: { identities } } : {}),
    ...(env.JOBS_DASHBOARD_CSRF_SECRET ? { csrfSecret: env.JOBS_DASHBOARD_CSRF_SECRET } : {}),
  };
}
