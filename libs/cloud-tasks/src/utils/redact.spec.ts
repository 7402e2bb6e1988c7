import { DEFAULT_REDACT_KEYS } from '../cloud-tasks.constants.js';
import { isSensitiveKey, REDACTED, redact, redactText } from './redact.js';

const KEYS = DEFAULT_REDACT_KEYS;

describe('isSensitiveKey', () => {
  it.each(['password', 'Password', 'newPassword', 'token', 'accessToken', 'refresh_token', 'apiKey', 'api-key', 'X-Api-Key', 'clientSecret', 'Authorization', 'privateKey', 'private_key', 'credentials'])(
    '%s is sensitive',
    (key) => expect(isSensitiveKey(key, KEYS)).toBe(true),
  );

  it.each(['userId', 'email', 'name', 'author', 'count', 'keyboard'])('%s is not', (key) => expect(isSensitiveKey(key, KEYS)).toBe(false));

  it('honours extra keys, case-insensitively', () => {
    expect(isSensitiveKey('SSN', [...KEYS, 'ssn'])).toBe(true);
    expect(isSensitiveKey('ssn', KEYS)).toBe(false);
  });
});

describe('redact', () => {
  it('masks values under sensitive keys at any depth, arrays included, and keeps the rest', () => {
    const input = { userId: 'u1', password: 'p', profile: { apiKey: { nested: 'x' }, name: 'Ann' }, list: [{ token: 't', ok: 1 }] };
    expect(redact(input, KEYS)).toEqual({ userId: 'u1', password: REDACTED, profile: { apiKey: REDACTED, name: 'Ann' }, list: [{ token: REDACTED, ok: 1 }] });
  });

  it('returns a copy: the input is untouched', () => {
    const input = { password: 'p', inner: { secret: 's' } };
    redact(input, KEYS);
    expect(input).toEqual({ password: 'p', inner: { secret: 's' } });
  });

  it('passes scalars and null through', () => {
    expect(redact('password', KEYS)).toBe('password');
    expect(redact(null, KEYS)).toBeNull();
    expect(redact(42, KEYS)).toBe(42);
  });

  it('terminates on a cycle', () => {
    const cyclic: Record<string, unknown> = { password: 'p' };
    cyclic.self = cyclic;
    expect(() => redact(cyclic, KEYS)).not.toThrow();
    expect((redact(cyclic, KEYS) as Record<string, unknown>).password).toBe(REDACTED);
  });
});

describe('redactText', () => {
  const data = { userId: 'u1', password: 'hunter2', auth: { token: 'abc.def.ghi', refresh: 'r-123' }, apiKey: 987654 };

  it('masks every value that sits under a sensitive key, wherever it appears in the text', () => {
    expect(redactText('pw hunter2, tok abc.def.ghi, key 987654, again hunter2', data, KEYS)).toBe(
      `pw ${REDACTED}, tok ${REDACTED}, key ${REDACTED}, again ${REDACTED}`,
    );
  });

  it('masks everything below a sensitive key', () => {
    expect(redactText('x {"nested":"deep-secret"}', { credentials: { nested: 'deep-secret' } }, KEYS)).toBe(`x {"nested":"${REDACTED}"}`);
  });

  it('leaves values under ordinary keys, and text without secrets, unchanged', () => {
    expect(redactText('user u1 failed', data, KEYS)).toBe('user u1 failed');
    expect(redactText('r-123 is not under a sensitive key name', { refresh: 'r-123' }, KEYS)).toBe('r-123 is not under a sensitive key name');
  });

  it('masks the longer secret first when one contains another', () => {
    expect(redactText('long: supersecret-value', { password: 'secret', token: 'supersecret-value' }, KEYS)).toBe(`long: ${REDACTED}`);
  });

  it('copes with data that is not an object', () => {
    expect(redactText('nothing to hide', undefined, KEYS)).toBe('nothing to hide');
    expect(redactText('nothing to hide', 'password', KEYS)).toBe('nothing to hide');
  });
});
