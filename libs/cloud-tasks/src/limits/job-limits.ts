/**
 * The limits and rules of a job that enqueueing, the job endpoint's envelope checks and the option schema share: one
 * definition each, so the three can never disagree.
 */
export const JobLimits = {
  /** Cloud Tasks' dispatch deadline bounds for HTTP targets, in seconds. */
  minDispatchDeadlineSeconds: 15,
  maxDispatchDeadlineSeconds: 1800,
  /** Longest idempotency key. */
  maxIdempotencyKeyLength: 500,
  /** Longest actor (who enqueued a job). */
  maxActorLength: 128,
} as const;

/** An actor: letters, digits and `. _ : @ / + -` (`user:42`, `svc-billing`, `ops@example.com`). */
const ACTOR = /^[A-Za-z0-9._:@/+-]+$/;
/** A JSON Web Token (three base64url segments, a JSON header): a credential, never an actor. */
const JWT = /^eyJ[\w-]*\.[\w-]*\./;

/**
 * Why `actor` is not an actor (who enqueued a job: a user id, a service name), or undefined when it is one. Actors
 * go into every lifecycle log line and dead letter, so they are short ids of a safe charset, and never a token.
 */
export function actorProblem(actor: unknown): string | undefined {
  const max = JobLimits.maxActorLength;
  if (typeof actor !== 'string' || actor.length === 0 || actor.length > max) return `must be a non-empty string of at most ${max} characters`;
  if (!ACTOR.test(actor)) return 'may only use letters, digits and . _ : @ / + - (an id such as "user:42", never free text)';
  if (JWT.test(actor)) return 'looks like a token (a JWT): pass who asked (a user id, a service name), never a credential';
  return undefined;
}

/** Why `seconds` is not a dispatch deadline, or undefined when it is one. */
export function dispatchDeadlineProblem(seconds: unknown): string | undefined {
  const { minDispatchDeadlineSeconds: min, maxDispatchDeadlineSeconds: max } = JobLimits;
  return Number.isInteger(seconds) && (seconds as number) >= min && (seconds as number) <= max ? undefined : `must be a whole number of seconds from ${min} to ${max}`;
}

/** Why `key` is not an idempotency key, or undefined when it is one. */
export function idempotencyKeyProblem(key: unknown): string | undefined {
  return typeof key === 'string' && key.length > 0 && key.length <= JobLimits.maxIdempotencyKeyLength
    ? undefined
    : `must be a non-empty string of at most ${JobLimits.maxIdempotencyKeyLength} characters`;
}

/** Why `attempts` is not a per-job attempt cap for a queue allowing `queueMax` (-1 = unlimited), or undefined. */
export function maxAttemptsProblem(attempts: unknown, queueMax: number): string | undefined {
  if (!Number.isInteger(attempts) || (attempts as number) < 1) return 'must be a whole number ≥ 1';
  if (queueMax !== -1 && (attempts as number) > queueMax) return `exceeds its queue's maxAttempts ${queueMax}`;
  return undefined;
}

/** Limits on the shape of a job body, checked in linear time before any payload validation. */
export interface PayloadLimits {
  /** Deepest nesting of objects and arrays (default 64). */
  maxDepth: number;
  /** Most keys in one object (default 1,000). */
  maxKeysPerObject: number;
  /** Most values in the whole body: every object, array, key's value and element counts (default 100,000). */
  maxNodes: number;
}

export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = { maxDepth: 64, maxKeysPerObject: 1000, maxNodes: 100_000 };
