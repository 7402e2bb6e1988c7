import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CSRF_COOKIE } from './dashboard.constants.js';

const NONCE = /^[A-Za-z0-9_-]{43}$/;

/** The CSRF pair of a page: the cookie's nonce (set when new) and the token its forms carry. */
export interface CsrfPair {
  nonce: string;
  token: string;
  /** True when the request had no valid nonce: the page sets the cookie. */
  fresh: boolean;
}

/**
 * CSRF protection of the dashboard's forms, a signed double-submit: a random nonce in an HttpOnly, SameSite=Strict
 * cookie, and in each form a token = HMAC(secret, nonce, identity). A post is accepted only with both, matching, from a
 * browser that does not call it cross-site (`Sec-Fetch-Site`). The page itself carries no script.
 */
export class DashboardCsrf {
  private readonly secret: Buffer;

  constructor(secret?: string) {
    this.secret = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  /** The pair for a page view: the request's nonce when it has a valid one, else a new one. */
  issue(headers: IncomingHttpHeaders, identity = ''): CsrfPair {
    const known = nonceOf(headers);
    const nonce = known ?? randomBytes(32).toString('base64url');
    return { nonce, token: this.tokenOf(nonce, identity), fresh: !known };
  }

  /** True when the post carries the token of its cookie's nonce (constant-time) and is not cross-site. */
  verify(headers: IncomingHttpHeaders, token: unknown, identity = ''): boolean {
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
    const nonce = nonceOf(headers);
    if (!nonce || typeof token !== 'string') return false;
    const expected = Buffer.from(this.tokenOf(nonce, identity));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The `Set-Cookie` value for a nonce, scoped to the dashboard's path. */
  cookie(nonce: string, path: string, secure: boolean): string {
    return `${CSRF_COOKIE}=${nonce}; Path=${path}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }

  private tokenOf(nonce: string, identity: string): string {
    return createHmac('sha256', this.secret).update(`cloud-tasks-dashboard\0${nonce}\0${identity}`).digest('base64url');
  }
}

/** The nonce cookie of a request, when it is well-formed. */
function nonceOf(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === CSRF_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return NONCE.test(value) ? value : undefined;
    }
  }
  return undefined;
}
