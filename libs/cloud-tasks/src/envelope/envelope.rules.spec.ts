import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested } from 'class-validator';
import { checkEnvelope, parseJsonSafely, validatePayload } from './envelope.rules.js';

class Inner {
  @IsInt() n!: number;
}
class Outer {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Inner) inner!: Inner;
}

const ENVELOPE = { jobName: 'work', data: { a: 1 }, idempotencyKey: 'k', enqueuedAt: '2026-01-01T00:00:00.000Z' };

describe('parseJsonSafely', () => {
  it('parses JSON', () => {
    expect(parseJsonSafely('{"a":[1,{"b":null}]}')).toEqual({ ok: true, value: { a: [1, { b: null }] } });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %j at any depth', (key) => {
    expect(parseJsonSafely(`{"data":{"list":[{"${key}":{"x":1}}]}}`)).toEqual({ ok: false, error: `Body contains the forbidden key "${key}"` });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses malformed JSON with a message saying so', () => {
    const result = parseJsonSafely('{"a":');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Body is not valid JSON/);
    expect(!result.ok && result.error).not.toContain('{"a":');
  });

  it('refuses absurd nesting, accepts 64 levels', () => {
    expect(parseJsonSafely('['.repeat(100) + ']'.repeat(100))).toEqual({ ok: false, error: 'Body nests deeper than 64 levels' });
    expect(parseJsonSafely('['.repeat(64) + ']'.repeat(64)).ok).toBe(true);
  });
});

describe('checkEnvelope', () => {
  it('accepts an envelope for the job, with optional maxAttempts and dispatchDeadline', () => {
    expect(checkEnvelope(ENVELOPE, 'work')).toEqual({ ok: true, value: ENVELOPE });
    expect(checkEnvelope({ ...ENVELOPE, maxAttempts: 2, dispatchDeadline: 15 }, 'work').ok).toBe(true);
    expect(checkEnvelope({ ...ENVELOPE, data: null }, 'work').ok).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ['an array', [ENVELOPE], 'Body must be a JSON object: { jobName, data, idempotencyKey, enqueuedAt }'],
    ['null', null, 'Body must be a JSON object: { jobName, data, idempotencyKey, enqueuedAt }'],
    ['another job', { ...ENVELOPE, jobName: 'other' }, 'Envelope jobName "other" does not match the URL\'s job "work"'],
    ['an unknown field', { ...ENVELOPE, extra: 1, more: 2 }, 'Envelope has unknown field(s): "extra", "more"'],
    ['an oversized key', { ...ENVELOPE, idempotencyKey: 'k'.repeat(501) }, 'Envelope field idempotencyKey must be a non-empty string of at most 500 characters'],
    ['a numeric key', { ...ENVELOPE, idempotencyKey: 7 }, 'Envelope field idempotencyKey must be a non-empty string of at most 500 characters'],
    ['a fractional maxAttempts', { ...ENVELOPE, maxAttempts: 1.5 }, 'Envelope field maxAttempts must be a whole number ≥ 1'],
    ['a dispatchDeadline over 1800', { ...ENVELOPE, dispatchDeadline: 1801 }, 'Envelope field dispatchDeadline must be a whole number of seconds from 15 to 1800'],
  ])('refuses %s', (_label, value, error) => {
    expect(checkEnvelope(value, 'work')).toEqual({ ok: false, error });
  });

  it('accepts an actor of the same rule add() applies, and refuses any other as an invalid envelope', () => {
    expect(checkEnvelope({ ...ENVELOPE, actor: 'user:42' }, 'work')).toEqual({ ok: true, value: { ...ENVELOPE, actor: 'user:42' } });
    expect(checkEnvelope({ ...ENVELOPE, actor: 'a\nforged log line' }, 'work')).toEqual({
      ok: false,
      error: 'Envelope field actor may only use letters, digits and . _ : @ / + - (an id such as "user:42", never free text)',
    });
    expect(checkEnvelope({ ...ENVELOPE, actor: 7 }, 'work')).toEqual({ ok: false, error: 'Envelope field actor must be a non-empty string of at most 128 characters' });
  });

  it('does not echo an absurdly long job name', () => {
    const result = checkEnvelope({ ...ENVELOPE, jobName: 'x'.repeat(10_000) }, 'work');
    expect(!result.ok && result.error.length).toBeLessThan(300);
  });
});

describe('validatePayload', () => {
  it('transforms into the class, nested classes included', async () => {
    const result = await validatePayload(Outer, { name: 'a', inner: { n: 1 } });
    expect(result.ok).toBe(true);
    const value = (result as { ok: true; value: Outer }).value;
    expect(value).toBeInstanceOf(Outer);
    expect(value.inner).toBeInstanceOf(Inner);
  });

  it('lists every problem with its path', async () => {
    const result = await validatePayload(Outer, { name: 1, inner: { n: 'x', extra: true }, other: 2 });
    expect(result.ok).toBe(false);
    const error = (result as { ok: false; error: string }).error;
    expect(error).toMatch(/^Invalid payload: /);
    for (const part of ['data.name: ', 'data.inner.n: ', 'data.inner.extra is not allowed (unknown field)', 'data.other is not allowed (unknown field)']) {
      expect(error).toContain(part);
    }
  });

  it('refuses data that is not an object', async () => {
    expect(await validatePayload(Outer, 'x')).toEqual({ ok: false, error: 'Payload (data) must be an object for Outer' });
  });
});
