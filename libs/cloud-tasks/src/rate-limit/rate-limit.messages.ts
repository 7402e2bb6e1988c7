/** A window length as written in the options (`1m`, `30s`), from milliseconds. */
export function windowText(windowMs: number): string {
  for (const [unit, ms] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (windowMs % ms === 0) return `${windowMs / ms}${unit}`;
  }
  return `${windowMs}ms`;
}

export const ENQUEUE_RATE_LIMITED = (jobName: string, key: string, limit: number, windowMs: number, retryAfter: number, resetAt: Date) =>
  `Job "${jobName}" may be enqueued ${limit} times per ${windowText(windowMs)} for key ${JSON.stringify(key)}, and that many already were: retry in ${retryAfter} s (at ${resetAt.toISOString()}). Pass skipRateLimit: true for system jobs that must not be limited.`;

export const ENQUEUE_RATE_LIMIT_UNAVAILABLE = (jobName: string, reason: string) =>
  `Job "${jobName}" was not enqueued: its enqueue limit could not be checked (${reason}) and enqueueRateLimits["${jobName}"].failMode is "closed". Retry later; check the Upstash database of idempotency.upstash.`;

export const ENQUEUE_RATE_LIMIT_BAD_KEY = (jobName: string, got: string) =>
  `Job "${jobName}": enqueueRateLimits["${jobName}"].key(data) must return a non-empty string of at most 200 characters or a finite number, got ${got}. Check the job's data (e.g. a missing userId) or the key function.`;

export const ENQUEUE_RATE_LIMIT_FAILED_OPEN = 'enqueue limit store unreachable, enqueueing without the limit (failMode open)';
