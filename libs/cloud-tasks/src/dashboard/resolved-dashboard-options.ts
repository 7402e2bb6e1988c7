import type { CanActivate, Type } from '@nestjs/common';
import { DashboardConfigError } from '../errors/dashboard-config.error.js';
import { DASHBOARD_DEFAULTS, IAP_CERTS_URL } from './dashboard.constants.js';
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

/** Dashboard options after validation, defaults filled in. */
export interface ResolvedDashboardOptions {
  path: string;
  guard?: Type<CanActivate> | CanActivate;
  identities?: {
    allow: string[];
    iap?: { audience: string; certsUrl: string };
    oidc?: { audience: string; mode?: 'verify-signature' | 'cloud-run-iam'; issuers?: string[]; certsUrl?: string };
  };
  recentDeliveries: number;
  statsWindow: number;
  csrfSecret?: string;
  queueStateTtlMs: number;
}

/** Token of the {@link ResolvedDashboardOptions}. */
export const RESOLVED_DASHBOARD_OPTIONS = Symbol('CloudTasksDashboardResolvedOptions');

const PATH = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/** Validates the options (throws a {@link DashboardConfigError} naming the fix) and fills in defaults. */
export function resolveDashboardOptions(options: CloudTasksDashboardOptions, handlerPath: string): ResolvedDashboardOptions {
  const path = (options.path ?? DASHBOARD_DEFAULTS.path).replace(/^\/+|\/+$/g, '');
  if (!PATH.test(path) || path.split('/').some((s) => s === '.' || s === '..')) throw new DashboardConfigError(DASHBOARD_BAD_PATH(options.path ?? ''));
  if (path.toLowerCase() === handlerPath.toLowerCase() || path.toLowerCase().startsWith(`${handlerPath.toLowerCase()}/`)) throw new DashboardConfigError(DASHBOARD_PATH_IS_JOB_PATH(path));
  if (options.csrfSecret !== undefined && options.csrfSecret.length < 32) throw new DashboardConfigError(DASHBOARD_SHORT_CSRF_SECRET);
  const resolved: ResolvedDashboardOptions = {
    path,
    recentDeliveries: whole('recentDeliveries', options.recentDeliveries ?? DASHBOARD_DEFAULTS.recentDeliveries, 1, 100_000),
    statsWindow: whole('statsWindow', options.statsWindow ?? DASHBOARD_DEFAULTS.statsWindow, 1, 100_000),
    queueStateTtlMs: whole('queueStateTtlSeconds', options.queueStateTtlSeconds ?? DASHBOARD_DEFAULTS.queueStateTtlSeconds, 0, 3600) * 1000,
  };
  if (options.csrfSecret !== undefined) resolved.csrfSecret = options.csrfSecret;
  if (options.access?.guard) resolved.guard = options.access.guard;
  const identities = options.access?.identities;
  if (identities) {
    const allow = (identities.allow ?? []).map((email) => email.trim().toLowerCase()).filter(Boolean);
    if (!allow.length) throw new DashboardConfigError(DASHBOARD_EMPTY_ALLOW_LIST);
    if (!identities.iap && !identities.oidc) throw new DashboardConfigError(DASHBOARD_IDENTITIES_WITHOUT_TOKEN);
    if (identities.iap && !identities.iap.audience?.trim()) throw new DashboardConfigError(DASHBOARD_EMPTY_AUDIENCE('iap'));
    if (identities.oidc && !identities.oidc.audience?.trim()) throw new DashboardConfigError(DASHBOARD_EMPTY_AUDIENCE('oidc'));
    resolved.identities = {
      allow,
      ...(identities.iap ? { iap: { audience: identities.iap.audience, certsUrl: identities.iap.certsUrl ?? IAP_CERTS_URL } } : {}),
      ...(identities.oidc ? { oidc: { ...identities.oidc } } : {}),
    };
  }
  return resolved;
}

function whole(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new DashboardConfigError(DASHBOARD_BAD_NUMBER(option, min, max));
  return value;
}
