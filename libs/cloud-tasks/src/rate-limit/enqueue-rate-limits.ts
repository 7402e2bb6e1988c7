import type { EnqueueRateLimit } from '../interfaces/enqueue-rate-limit.interface.js';
import type { EnqueueLimitRule } from './enqueue-limiter.interface.js';

const WINDOW = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MIN_WINDOW_MS = 1_000;
const MAX_WINDOW_MS = 86_400_000;
const MAX_LIMIT = 1_000_000;
const MAX_KEY_LENGTH = 200;
const FIELDS = new Set(['limit', 'window', 'key', 'failMode']);

/** An enqueue limit after validation: the rule a limiter applies, the key function and the fail mode. */
export interface ResolvedEnqueueRateLimit {
  rule: EnqueueLimitRule;
  key?: (data: unknown) => unknown;
  failMode: 'open' | 'closed';
}

/** The key counted when a limit has no key function: one count for every caller of the job. */
export const SHARED_LIMIT_KEY = '*';

/** A window (`'1m'`) in milliseconds; undefined when it is not one. */
export function parseRateLimitWindow(window: unknown): number | undefined {
  const match = typeof window === 'string' ? WINDOW.exec(window) : null;
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}

/** Every problem of the `enqueueRateLimits` option, each naming the option path and the fix. */
export function enqueueRateLimitProblems(limits: unknown, queues: Record<string, unknown> | undefined): string[] {
  if (limits === undefined) return [];
  if (!limits || typeof limits !== 'object' || Array.isArray(limits)) return ['enqueueRateLimits must be an object: { [jobName]: { limit, window, key?, failMode? } }'];
  const problems: string[] = [];
  for (const [jobName, value] of Object.entries(limits)) {
    const path = `enqueueRateLimits["${jobName}"]`;
    if (!queues || !Object.hasOwn(queues, jobName)) problems.push(`${path}: no such job in "queues"; limit a job that has a queue config`);
    if (!value || typeof value !== 'object') {
      problems.push(`${path} must be an object: { limit, window, key?, failMode? }`);
      continue;
    }
    const limit = value as Record<string, unknown>;
    for (const field of Object.keys(limit)) if (!FIELDS.has(field)) problems.push(`${path}.${field}: unknown option; remove it or check its spelling`);
    if (!Number.isInteger(limit.limit) || (limit.limit as number) < 1 || (limit.limit as number) > MAX_LIMIT) {
      problems.push(`${path}.limit must be a whole number from 1 to ${MAX_LIMIT}, got ${JSON.stringify(limit.limit) ?? 'missing'}`);
    }
    const windowMs = parseRateLimitWindow(limit.window);
    if (windowMs === undefined || windowMs < MIN_WINDOW_MS || windowMs > MAX_WINDOW_MS) {
      problems.push(`${path}.window must be a duration from 1s to 1d such as "1m", "30s" or "1h", got ${JSON.stringify(limit.window) ?? 'missing'}`);
    }
    if (limit.key !== undefined && typeof limit.key !== 'function') problems.push(`${path}.key must be a function (data) => key, e.g. (data) => data.userId`);
    if (limit.failMode !== undefined && limit.failMode !== 'open' && limit.failMode !== 'closed') {
      problems.push(`${path}.failMode must be "open" or "closed", got ${JSON.stringify(limit.failMode)}`);
    }
  }
  return problems;
}

/** The validated option as limits to apply (validate with {@link enqueueRateLimitProblems} first). */
export function resolveEnqueueRateLimits(limits: Record<string, EnqueueRateLimit<never> | undefined> | undefined): Record<string, ResolvedEnqueueRateLimit> {
  const resolved: Record<string, ResolvedEnqueueRateLimit> = {};
  for (const [jobName, limit] of Object.entries(limits ?? {})) {
    if (!limit) continue;
    const key = limit.key as ((data: unknown) => unknown) | undefined;
    resolved[jobName] = { rule: { jobName, limit: limit.limit, windowMs: parseRateLimitWindow(limit.window)! }, key, failMode: limit.failMode ?? 'open' };
  }
  return resolved;
}

/** The key a job's data is counted under, or what the key function returned instead of a usable key. */
export function limitKeyOf(limit: ResolvedEnqueueRateLimit, data: unknown): { key: string } | { unusable: unknown } {
  if (!limit.key) return { key: SHARED_LIMIT_KEY };
  const key = limit.key(data);
  if (typeof key === 'number' && Number.isFinite(key)) return { key: String(key) };
  return typeof key === 'string' && key.length > 0 && key.length <= MAX_KEY_LENGTH ? { key } : { unusable: key };
}
