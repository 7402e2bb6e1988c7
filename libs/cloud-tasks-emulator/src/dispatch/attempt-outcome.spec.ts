import { httpToRpcCode, isSuccess, retryAfterMs, retryReason } from './attempt-outcome.js';

describe('attempt outcome', () => {
  it('counts only 2xx as success', () => {
    expect([200, 204, 299].every(isSuccess)).toBe(true);
    expect([199, 302, 404, 429, 500, 'timeout', 'network-error'].some((s) => isSuccess(s as never))).toBe(false);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 31 Dec 2029 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('maps HTTP statuses to RPC codes and names the retry reason', () => {
    expect(httpToRpcCode(200)).toBe(0);
    expect(httpToRpcCode(404)).toBe(5);
    expect(httpToRpcCode(429)).toBe(8);
    expect(httpToRpcCode(500)).toBe(13);
    expect(httpToRpcCode(503)).toBe(14);
    expect(retryReason(500)).toBe('HTTP 500');
    expect(retryReason('timeout')).toBe('DEADLINE_EXCEEDED');
    expect(retryReason('network-error', 'ECONNREFUSED')).toBe('UNAVAILABLE: ECONNREFUSED');
  });
});
