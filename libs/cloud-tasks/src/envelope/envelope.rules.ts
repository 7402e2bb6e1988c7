import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { Type } from '@nestjs/common';
import type { JobEnvelope } from '../interfaces/job.interface.js';
import { actorProblem, DEFAULT_PAYLOAD_LIMITS, dispatchDeadlineProblem, idempotencyKeyProblem, maxAttemptsProblem, type PayloadLimits } from '../limits/job-limits.js';

/** Keys that could reach an object's prototype or shadow its methods (`toString`, `hasOwnProperty`…). */
const FORBIDDEN_KEYS = new Set(['prototype', ...Object.getOwnPropertyNames(Object.prototype)]);
const FORBIDDEN_KEY_TEXT = new RegExp(`"(${[...FORBIDDEN_KEYS].map((k) => k.replace(/[$]/g, '\\$&')).join('|')})"`);
const ENVELOPE_KEYS = new Set(['jobName', 'data', 'idempotencyKey', 'enqueuedAt', 'maxAttempts', 'dispatchDeadline', 'schedule', 'actor']);
const MAX_PROBLEMS = 20;
const MAX_ERROR_CHARS = 2000;
// NOTE: ignoreBOM keeps a leading BOM in the text, so JSON.parse refuses it (RFC 8259: JSON is sent without one).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A key or value quoted in an error, cut short: errors go to responses, logs and dead letters. */
export function quote(value: string, max = 64): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/** Decodes a request body as strict UTF-8 (invalid bytes are refused, not replaced). */
export function decodeBody(raw: Buffer): ParseResult<string> {
  try {
    return { ok: true, value: utf8.decode(raw) };
  } catch {
    return { ok: false, error: 'Body is not valid UTF-8' };
  }
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses JSON, refusing prototype-pollution keys and shapes beyond `limits` (measured on the text first). */
export function parseJsonSafely(text: string, limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS): ParseResult<unknown> {
  // NOTE: measured before parsing, in one linear pass: JSON.parse and its reviver recurse (very deep input would
  // overflow the stack), and class-transformer's per-object key handling is quadratic in the keys of an object.
  // Text whose brackets, colons and commas (found by native search) stay within the limits cannot break them: the
  // character walk runs only for text that might.
  const shape = mayBreakShape(text, limits) ? shapeProblem(text, limits) : undefined;
  if (shape) return { ok: false, error: shape };
  let forbidden: string | undefined;
  let value: unknown;
  // NOTE: text without backslashes cannot spell a key through escapes, so one regex finds every forbidden key and
  // JSON.parse can run without a reviver (several times faster); otherwise every key is checked as it is parsed.
  const reviver = text.includes('\\') || FORBIDDEN_KEY_TEXT.test(text) ? (key: string, v: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
    return v;
  } : undefined;
  try {
    value = JSON.parse(text, reviver);
  } catch (error) {
    // NOTE: V8's message quotes the input, which may hold secrets: keep only the position.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return { ok: false, error: `Body is not valid JSON${position ? ` (at position ${position})` : ''}` };
  }
  if (forbidden) return { ok: false, error: `Body contains the forbidden key ${quote(forbidden)}` };
  return { ok: true, value };
}

/**
 * Whether JSON text might break the shape limits: the characters {@link shapeProblem} counts, counted anywhere
 * (strings included, so an upper bound) with `indexOf`, each count stopped once past its limit.
 */
function mayBreakShape(text: string, limits: PayloadLimits): boolean {
  const opening = countUpTo(text, '{', limits.maxDepth) + countUpTo(text, '[', limits.maxDepth);
  if (opening > limits.maxDepth) return true;
  if (countUpTo(text, ':', limits.maxKeysPerObject) > limits.maxKeysPerObject) return true;
  return opening + countUpTo(text, ',', limits.maxNodes) > limits.maxNodes;
}

/** Occurrences of `char` in `text`, counted up to one past `max`. */
function countUpTo(text: string, char: string, max: number): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1 && count <= max; at = text.indexOf(char, at + 1)) count++;
  return count;
}

/**
 * Why JSON text is beyond the shape limits (nesting, keys of one object, values in all), or undefined: one pass over
 * the text, ignoring what is inside strings. Every object, array and entry counts as a value; malformed text is left
 * to JSON.parse to refuse.
 */
export function shapeProblem(text: string, limits: PayloadLimits): string | undefined {
  const keys: number[] = [];
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (keys.push(0) > limits.maxDepth) return `Body nests deeper than ${limits.maxDepth} levels`;
      if (++values > limits.maxNodes) return `Body holds more than ${limits.maxNodes} values`;
    } else if (c === 0x7d || c === 0x5d) keys.pop();
    else if (c === 0x2c) {
      if (++values > limits.maxNodes) return `Body holds more than ${limits.maxNodes} values`;
    } else if (c === 0x3a && keys.length > 0 && ++keys[keys.length - 1] > limits.maxKeysPerObject) {
      return `Body has an object with more than ${limits.maxKeysPerObject} keys`;
    }
  }
  return undefined;
}

/** Checks that `value` is a job envelope for `jobName`, whose queue allows `queueMaxAttempts` (-1 = unlimited). */
export function checkEnvelope(value: unknown, jobName: string, queueMaxAttempts = -1): ParseResult<JobEnvelope> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'Body must be a JSON object: { jobName, data, idempotencyKey, enqueuedAt }' };
  }
  const env = value as Record<string, unknown>;
  const unknown = Object.keys(env).filter((k) => !ENVELOPE_KEYS.has(k));
  if (unknown.length) return { ok: false, error: `Envelope has unknown field(s): ${summarize(unknown.map((k) => quote(k)), ', ')}` };
  if (typeof env.jobName !== 'string') return { ok: false, error: 'Envelope field jobName must be a string' };
  if (env.jobName !== jobName) return { ok: false, error: `Envelope jobName ${quote(env.jobName, 100)} does not match the URL's job "${jobName}"` };
  const keyProblem = idempotencyKeyProblem(env.idempotencyKey);
  if (keyProblem) return { ok: false, error: `Envelope field idempotencyKey ${keyProblem}` };
  if (typeof env.enqueuedAt !== 'string' || Number.isNaN(Date.parse(env.enqueuedAt))) {
    return { ok: false, error: 'Envelope field enqueuedAt must be an ISO-8601 date string' };
  }
  if (!('data' in env)) return { ok: false, error: 'Envelope field data is missing' };
  const attemptsProblem = env.maxAttempts === undefined ? undefined : maxAttemptsProblem(env.maxAttempts, queueMaxAttempts);
  if (attemptsProblem) return { ok: false, error: `Envelope field maxAttempts ${attemptsProblem}` };
  const deadlineProblem = env.dispatchDeadline === undefined ? undefined : dispatchDeadlineProblem(env.dispatchDeadline);
  if (deadlineProblem) return { ok: false, error: `Envelope field dispatchDeadline ${deadlineProblem}` };
  if (env.schedule !== undefined && !isScheduleFire(env.schedule)) return { ok: false, error: 'Envelope field schedule must be { id, scheduleTime } (ISO-8601)' };
  const actorIssue = env.actor === undefined ? undefined : actorProblem(env.actor);
  if (actorIssue) return { ok: false, error: `Envelope field actor ${actorIssue}` };
  return { ok: true, value: env as unknown as JobEnvelope };
}

function isScheduleFire(value: unknown): value is { id: string; scheduleTime: string } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const { id, scheduleTime, ...rest } = value as Record<string, unknown>;
  return typeof id === 'string' && id.length > 0 && id.length <= 500 && typeof scheduleTime === 'string' && !Number.isNaN(Date.parse(scheduleTime)) && Object.keys(rest).length === 0;
}

/** Validates and transforms a payload against a class-validator class: whitelist, no unknown fields, nested. */
export async function validatePayload(payloadClass: Type<object>, data: unknown): Promise<ParseResult<object>> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, error: `Payload (data) must be an object for ${payloadClass.name}` };
  }
  const instance = plainToInstance(payloadClass, data) as object;
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) return { ok: false, error: `Invalid payload: ${summarize(describeErrors(errors), '; ')}` };
  return { ok: true, value: instance };
}

/** The first problems joined, with a count of the rest, never longer than MAX_ERROR_CHARS. */
function summarize(problems: string[], separator: string): string {
  const shown = problems.slice(0, MAX_PROBLEMS).join(separator);
  const more = problems.length > MAX_PROBLEMS ? `${separator}and ${problems.length - MAX_PROBLEMS} more` : '';
  return `${shown}${more}`.slice(0, MAX_ERROR_CHARS);
}

function describeErrors(errors: ValidationError[], parent = 'data'): string[] {
  return errors.flatMap((e) => {
    const path = `${parent}.${e.property.length > 64 ? `${e.property.slice(0, 64)}…` : e.property}`;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) =>
      rule === 'whitelistValidation' ? `${path} is not allowed (unknown field)` : `${path}: ${message}`,
    );
    return [...own, ...describeErrors(e.children ?? [], path)];
  });
}
