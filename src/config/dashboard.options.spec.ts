import { describe, expect, it } from '@jest/globals';
import { loadAppEnv } from './app-env.js';
import { dashboardOptions } from './dashboard.options.js';

const gcp = { GCP_PROJECT_ID: 'p', GCP_REGION: 'r', CLOUD_RUN_URL: 'https://catchup.example.test', SERVICE_ACCOUNT_EMAIL: 'tasks@p.iam.gserviceaccount.com' };

describe('the example\'s jobs dashboard settings', () => {
  it('is on in local mode (open), off against Cloud Tasks unless asked for', () => {
    expect(loadAppEnv({}).JOBS_DASHBOARD).toBe(true);
    expect(dashboardOptions(loadAppEnv({}))).toEqual({});
    expect(loadAppEnv({ ...gcp, NODE_ENV: 'production' }).JOBS_DASHBOARD).toBe(false);
    expect(loadAppEnv({ ...gcp, NODE_ENV: 'production', JOBS_DASHBOARD: 'true' }).JOBS_DASHBOARD).toBe(true);
  });

  it('turns the allow-list and an audience into an identity check', () => {
    const env = loadAppEnv({
      ...gcp,
      NODE_ENV: 'production',
      JOBS_DASHBOARD: 'true',
      JOBS_DASHBOARD_PATH: 'admin/jobs',
      JOBS_DASHBOARD_ALLOW: 'ops@example.com, oncall@example.com',
      JOBS_DASHBOARD_IAP_AUDIENCE: '/projects/1/global/backendServices/2',
      JOBS_DASHBOARD_OIDC_AUDIENCE: 'catchup-dashboard',
    });
    expect(dashboardOptions(env)).toEqual({
      path: 'admin/jobs',
      access: { identities: { allow: ['ops@example.com', 'oncall@example.com'], iap: { audience: '/projects/1/global/backendServices/2' }, oidc: { audience: 'catchup-dashboard' } } },
    });
  });

  it('refuses an allow-list without an audience, and an audience without an allow-list', () => {
    const message = /JOBS_DASHBOARD_ALLOW goes with JOBS_DASHBOARD_IAP_AUDIENCE or JOBS_DASHBOARD_OIDC_AUDIENCE/;
    expect(() => loadAppEnv({ ...gcp, JOBS_DASHBOARD: 'true', JOBS_DASHBOARD_ALLOW: 'ops@example.com' })).toThrow(message);
    expect(() => loadAppEnv({ ...gcp, JOBS_DASHBOARD: 'true', JOBS_DASHBOARD_OIDC_AUDIENCE: 'x' })).toThrow(message);
  });
});
