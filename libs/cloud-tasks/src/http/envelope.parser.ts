import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { Type } from '@nestjs/common';
import type { JobEnvelope } from '../interfaces/job.interface.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const ENVELOPE_KEYS = new Set(['jobName', 'data', 'idempotencyKey', 'enqueuedAt', 'maxAttempts', 'dispatchDeadline']);
const MAX_DEPTH = 64;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses JSON, refusing prototype-pollution keys and absurd nesting. */
export function parseJsonSafely(text: string): ParseResult<unknown> {
  let forbidden: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
      return v;
    });
  } catch (error) {
    // NOTE: V8's message quotes the input, which may hold secrets: keep only the position.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return { ok: false, error: `Body is not valid JSON${position ? ` (at position ${position})` : ''}` };
  }
  if (forbidden) return { ok: false, error: `Body contains the forbidden key "${forbidden}"` };
  if (depthOf(value, 0) >= MAX_DEPTH) return { ok: false, error: `Body nests deeper than ${MAX_DEPTH} levels` };
  return { ok: true, value };
}

function depthOf(value: unknown, depth: number): number {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return depth;
  let max = depth;
  for (const child of Object.values(value)) {
    max = Math.max(max, depthOf(child, depth + 1));
    if (max > MAX_DEPTH) break;
  }
  return max;
}

/** Checks that `value` is a job envelope for `jobName`. */
export function checkEnvelope(value: unknown, jobName: string): ParseResult<JobEnvelope> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'Body must be a JSON object: { jobName, data, idempotencyKey, enqueuedAt }' };
  }
  const env = value as Record<string, unknown>;
  const unknown = Object.keys(env).filter((k) => !ENVELOPE_KEYS.has(k));
  if (unknown.length) return { ok: false, error: `Envelope has unknown field(s): ${unknown.join(', ')}` };
  if (typeof env.jobName !== 'string') return { ok: false, error: 'Envelope field jobName must be a string' };
  if (env.jobName !== jobName) return { ok: false, error: `Envelope jobName "${env.jobName.slice(0, 100)}" does not match the URL's job "${jobName}"` };
  if (typeof env.idempotencyKey !== 'string' || !env.idempotencyKey || env.idempotencyKey.length > 500) {
    return { ok: false, error: 'Envelope field idempotencyKey must be a non-empty string of at most 500 characters' };
  }
  if (typeof env.enqueuedAt !== 'string' || Number.isNaN(Date.parse(env.enqueuedAt))) {
    return { ok: false, error: 'Envelope field enqueuedAt must be an ISO-8601 date string' };
  }
  if (!('data' in env)) return { ok: false, error: 'Envelope field data is missing' };
  if (env.maxAttempts !== undefined && !(Number.isInteger(env.maxAttempts) && (env.maxAttempts as number) >= 1)) {
    return { ok: false, error: 'Envelope field maxAttempts must be a whole number ≥ 1' };
  }
  if (env.dispatchDeadline !== undefined && !(Number.isInteger(env.dispatchDeadline) && (env.dispatchDeadline as number) >= 15 && (env.dispatchDeadline as number) <= 1800)) {
    return { ok: false, error: 'Envelope field dispatchDeadline must be a whole number of seconds from 15 to 1800' };
  }
  return { ok: true, value: env as unknown as JobEnvelope };
}

/** Validates and transforms a payload against a class-validator class: whitelist, no unknown fields, nested. */
export async function validatePayload(payloadClass: Type<object>, data: unknown): Promise<ParseResult<object>> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, error: `Payload (data) must be an object for ${payloadClass.name}` };
  }
  const instance = plainToInstance(payloadClass, data) as object;
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) return { ok: false, error: `Invalid payload: ${describeErrors(errors).join('; ')}` };
  return { ok: true, value: instance };
}

function describeErrors(errors: ValidationError[], parent = 'data'): string[] {
  return errors.flatMap((e) => {
    const path = `${parent}.${e.property}`;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) =>
      rule === 'whitelistValidation' ? `${path} is not allowed (unknown field)` : `${path}: ${message}`,
    );
    return [...own, ...describeErrors(e.children ?? [], path)];
  });
}
