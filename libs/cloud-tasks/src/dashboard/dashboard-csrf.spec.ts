import { describe, expect, it } from '@jest/globals';
import { CSRF_COOKIE } from './dashboard.constants.js';
import { DashboardCsrf } from './dashboard-csrf.js';

describe('DashboardCsrf', () => {
  const csrf = new DashboardCsrf('s'.repeat(32));
  const first = csrf.issue({});
  const cookie = { cookie: `other=1; ${CSRF_COOKIE}=${first.nonce}` };

  it('issues a new nonce to a browser without one, and keeps the one it has', () => {
    expect(first.fresh).toBe(true);
    expect(csrf.issue(cookie)).toEqual({ nonce: first.nonce, token: first.token, fresh: false });
    expect(csrf.issue({ cookie: `${CSRF_COOKIE}=not-a-nonce` }).fresh).toBe(true);
  });

  it("accepts the token of the cookie's nonce, for the same identity, same-origin", () => {
    expect(csrf.verify(cookie, first.token)).toBe(true);
    expect(csrf.verify({ ...cookie, 'sec-fetch-site': 'same-origin' }, first.token)).toBe(true);
  });

  it('refuses a missing or wrong token, a missing cookie, another identity, another secret, and cross-site posts', () => {
    expect(csrf.verify(cookie, undefined)).toBe(false);
    expect(csrf.verify(cookie, `${first.token.slice(0, -1)}A`)).toBe(false);
    expect(csrf.verify({}, first.token)).toBe(false);
    expect(csrf.verify(cookie, first.token, 'someone@example.com')).toBe(false);
    expect(new DashboardCsrf('t'.repeat(32)).verify(cookie, first.token)).toBe(false);
    expect(csrf.verify({ ...cookie, 'sec-fetch-site': 'cross-site' }, first.token)).toBe(false);
    expect(csrf.verify({ ...cookie, 'sec-fetch-site': 'same-site' }, first.token)).toBe(false);
  });

  it('scopes the cookie to the dashboard, HttpOnly and SameSite=Strict, Secure over https', () => {
    expect(csrf.cookie(first.nonce, '/_jobs', false)).toBe(`${CSRF_COOKIE}=${first.nonce}; Path=/_jobs; HttpOnly; SameSite=Strict`);
    expect(csrf.cookie(first.nonce, '/_jobs', true)).toMatch(/; Secure$/);
  });
});
