import { Injectable, Logger } from '@nestjs/common';
import { InjectEnqueueLimiter, InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { EnqueueRateLimitUnavailableError } from '../errors/enqueue-rate-limit-unavailable.error.js';
import { EnqueueRateLimitError } from '../errors/enqueue-rate-limit.error.js';
import { EnqueueValidationError } from '../errors/enqueue.error.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { escapeControl } from '../utils/log-text.js';
import type { EnqueueLimiter } from './enqueue-limiter.interface.js';
import { limitKeyOf } from './enqueue-rate-limits.js';
import { ENQUEUE_RATE_LIMIT_BAD_KEY, ENQUEUE_RATE_LIMIT_FAILED_OPEN } from './rate-limit.messages.js';

const MAX_LOGGED_KEYS = 10_000;

/** Applies the `enqueueRateLimits` of the options to each `add()`, through the {@link EnqueueLimiter} in use. */
@Injectable()
export class EnqueueLimits {
  private readonly logger = new Logger('CloudTasks');
  private unchecked = 0;
  /** Keys whose refusal was logged, with the end of the window it was logged in: one line per key and window. */
  private readonly logged = new Map<string, number>();

  constructor(
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
    @InjectEnqueueLimiter() private readonly limiter: EnqueueLimiter,
  ) {}

  /** Adds let through without their limit because the limit store was unreachable (failMode open). */
  get uncheckedAdds(): number {
    return this.unchecked;
  }

  /** Whether the job has an enqueue limit. */
  has(jobName: string): boolean {
    return Object.hasOwn(this.options.enqueueRateLimits, jobName);
  }

  /**
   * The key a job's data counts under, when the job has a limit (validated, without counting it: call it with the
   * other checks, before anything is sent).
   * @throws EnqueueValidationError when the key function gives no usable key.
   */
  keyOf(jobName: string, data: unknown): string | undefined {
    if (!this.has(jobName)) return undefined;
    const limit = this.options.enqueueRateLimits[jobName];
    let found: ReturnType<typeof limitKeyOf>;
    try {
      found = limitKeyOf(limit, data);
    } catch (error) {
      throw new EnqueueValidationError(ENQUEUE_RATE_LIMIT_BAD_KEY(jobName, `an error (${(error as Error).message})`), jobName);
    }
    if ('unusable' in found) throw new EnqueueValidationError(ENQUEUE_RATE_LIMIT_BAD_KEY(jobName, describe(found.unusable)), jobName);
    return found.key;
  }

  /**
   * Counts one add of `jobName` for `key`.
   * @throws EnqueueRateLimitError when the key is over the limit in this window.
   * @throws EnqueueRateLimitUnavailableError when the store is unreachable and the limit's failMode is closed.
   */
  async hit(jobName: string, key: string): Promise<void> {
    const { rule, failMode } = this.options.enqueueRateLimits[jobName];
    let decision;
    try {
      decision = await this.limiter.hit(rule, key);
    } catch (error) {
      const reason = (error as Error).message;
      if (failMode === 'closed') throw new EnqueueRateLimitUnavailableError(jobName, reason, { cause: error });
      this.unchecked++;
      this.logger.warn({ msg: ENQUEUE_RATE_LIMIT_FAILED_OPEN, jobName, error: reason, uncheckedAdds: this.unchecked });
      return;
    }
    if (decision.allowed) return;
    const refused = new EnqueueRateLimitError({ jobName, key, limit: rule.limit, windowMs: rule.windowMs, resetAt: new Date(decision.resetAt) });
    if (this.logged.get(`${jobName}:${key}`) !== decision.resetAt) {
      if (this.logged.size >= MAX_LOGGED_KEYS) this.logged.delete(this.logged.keys().next().value as string);
      this.logged.set(`${jobName}:${key}`, decision.resetAt);
      this.logger.warn({ msg: 'enqueue limit reached: adds refused until the window ends (logged once per key and window)', jobName, key: escapeControl(key), limit: rule.limit, windowMs: rule.windowMs, retryAfter: refused.retryAfter });
    }
    throw refused;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : `a string of ${value.length} characters`;
  return value === undefined ? 'undefined' : typeof value === 'number' ? String(value) : `a value of type ${value === null ? 'null' : typeof value}`;
}
