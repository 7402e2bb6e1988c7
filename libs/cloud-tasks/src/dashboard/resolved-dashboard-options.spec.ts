import { describe, expect, it } from '@jest/globals';
import { DashboardConfigError } from '../errors/dashboard-config.error.js';
import {
  DASHBOARD_BAD_NUMBER,
  DASHBOARD_BAD_PATH,
  DASHBOARD_EMPTY_ALLOW_LIST,
  DASHBOARD_EMPTY_AUDIENCE,
  DASHBOARD_IDENTITIES_WITHOUT_TOKEN,
  DASHBOARD_PATH_IS_JOB_PATH,
  DASHBOARD_SHORT_CSRF_SECRET,
} from './dashboard.messages.js';
import type { CloudTasksDashboardOptions } from './dashboard-options.interface.js';
import { resolveDashboardOptions } from './resolved-dashboard-options.js';

describe('resolveDashboardOptions', () => {
  it('fills in defaults', () => {
    expect(resolveDashboardOptions({}, 'api/jobs')).toEqual({ path: '_jobs', recentDeliveries: 200, statsWindow: 500, queueStateTtlMs: 5000 });
  });

  it('normalises the path and the allow-list, and defaults the IAP keys URL', () => {
    const resolved = resolveDashboardOptions({ path: '/admin/jobs/', access: { identities: { allow: [' Ops@Example.com '], iap: { audience: '/projects/1/apps/p' } } } }, 'api/jobs');
    expect(resolved.path).toBe('admin/jobs');
    expect(resolved.identities).toEqual({ allow: ['ops@example.com'], iap: { audience: '/projects/1/apps/p', certsUrl: 'https://www.gstatic.com/iap/verify/public_key' } });
  });

  it.each<[string, CloudTasksDashboardOptions, string]>([
    ['a path with a query', { path: '_jobs?x=1' }, DASHBOARD_BAD_PATH('_jobs?x=1')],
    ['a path climbing up', { path: 'a/../b' }, DASHBOARD_BAD_PATH('a/../b')],
    ['the job endpoint path', { path: 'api/jobs/dashboard' }, DASHBOARD_PATH_IS_JOB_PATH('api/jobs/dashboard')],
    ['a short CSRF secret', { csrfSecret: 'short' }, DASHBOARD_SHORT_CSRF_SECRET],
    ['an empty allow-list', { access: { identities: { allow: [' '], oidc: { audience: 'a' } } } }, DASHBOARD_EMPTY_ALLOW_LIST],
    ['identities without a token kind', { access: { identities: { allow: ['a@b.c'] } } }, DASHBOARD_IDENTITIES_WITHOUT_TOKEN],
    ['an empty IAP audience', { access: { identities: { allow: ['a@b.c'], iap: { audience: ' ' } } } }, DASHBOARD_EMPTY_AUDIENCE('iap')],
    ['an empty OIDC audience', { access: { identities: { allow: ['a@b.c'], oidc: { audience: '' } } } }, DASHBOARD_EMPTY_AUDIENCE('oidc')],
    ['a fractional ring size', { recentDeliveries: 1.5 }, DASHBOARD_BAD_NUMBER('recentDeliveries', 1, 100_000)],
    ['a negative cache time', { queueStateTtlSeconds: -1 }, DASHBOARD_BAD_NUMBER('queueStateTtlSeconds', 0, 3600)],
  ])('refuses %s, naming the fix', (_case, options, message) => {
    expect(() => resolveDashboardOptions(options, 'api/jobs')).toThrow(new DashboardConfigError(message));
  });
});
