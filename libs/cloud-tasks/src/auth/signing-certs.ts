import { createPublicKey, type KeyObject } from 'node:crypto';
import { TokenRejection } from '../errors/token-rejection.error.js';
import { getJson } from '../utils/get-json.js';

/** Google's token-signing certificates, the v1 PEM map (`kid` → certificate). */
export const GOOGLE_CERTS_URL = 'https://www.googleapis.com/oauth2/v1/certs';

/** One set of certificates, parsed once. */
export interface CertSet {
  /** `kid` → PEM, as served. */
  pems: Readonly<Record<string, string>>;
  /** `kid` → public key. */
  keys: ReadonlyMap<string, KeyObject>;
}

/** Bounds of the cache (exported for tests). */
export const CertsCachePolicy = {
  /** Without `Cache-Control: max-age`, a set is kept this long. */
  defaultMaxAgeMs: 5 * 60_000,
  /** Tokens whose `kid` is unknown trigger at most one refresh per interval (the first one at once). */
  unknownKidRefreshMs: 30_000,
  /** After a failed fetch, none for this long, doubling per failure up to `maxBackoffMs`. */
  firstBackoffMs: 500,
  maxBackoffMs: 60_000,
  fetchTimeoutMs: 5_000,
} as const;

/**
 * The signing certificates of a certs URL: fetched once and shared by the requests that arrive meanwhile, kept for their
 * `max-age` (a sane default without one), refreshed at most once per interval when a token names an unknown key id (key
 * rotation, an emulator restarted with a new key), and fetched again only after a growing backoff when the URL fails —
 * a failing endpoint is never hit once per request. While a refresh fails, the last good set keeps serving.
 */
export class SigningCerts {
  private current?: CertSet;
  private expiresAt = 0;
  private inflight?: Promise<CertSet>;
  private lastUnknownKidRefreshAt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private retryAt = 0;
  private lastError?: unknown;
  /** Fetches made (for tests and logs). */
  fetches = 0;

  constructor(
    readonly url: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current set: cached while fresh; otherwise fetched (or the stale set while the URL fails). */
  async get(): Promise<CertSet> {
    if (this.current && this.now() < this.expiresAt) return this.current;
    return this.refresh();
  }

  /** The current set, fresh or stale, without waiting: undefined before the first fetch succeeded. */
  peek(): CertSet | undefined {
    return this.current;
  }

  /** A set that knows `kid`, refreshing once (rate-limited) when the current one does not. */
  async withKey(kid: string): Promise<CertSet> {
    const before = this.current;
    const certs = await this.get();
    // NOTE: a set fetched for this very call is as fresh as a refresh would be.
    if (certs.keys.has(kid) || certs !== before || this.now() - this.lastUnknownKidRefreshAt < CertsCachePolicy.unknownKidRefreshMs) return certs;
    this.lastUnknownKidRefreshAt = this.now();
    return this.refresh();
  }

  private refresh(): Promise<CertSet> {
    if (this.inflight) return this.inflight;
    if (this.now() < this.retryAt) return this.current ? Promise.resolve(this.current) : Promise.reject(this.unavailable(this.lastError));
    this.inflight = this.fetch()
      .then((set) => {
        this.current = set;
        this.failures = 0;
        return set;
      })
      .catch((error: unknown) => {
        this.failures++;
        this.lastError = error;
        this.retryAt = this.now() + Math.min(CertsCachePolicy.maxBackoffMs, CertsCachePolicy.firstBackoffMs * 2 ** (this.failures - 1));
        if (this.current) return this.current;
        throw this.unavailable(error);
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private async fetch(): Promise<CertSet> {
    this.fetches++;
    const response = await getJson(this.url, { timeoutMs: CertsCachePolicy.fetchTimeoutMs });
    if (response.status < 200 || response.status > 299) throw new Error(`GET ${this.url} answered ${response.status}`);
    const body = response.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error(`GET ${this.url} did not answer a JSON object of certificates`);
    const pems: Record<string, string> = {};
    const keys = new Map<string, KeyObject>();
    for (const [kid, pem] of Object.entries(body as Record<string, unknown>)) {
      if (typeof pem !== 'string') continue;
      try {
        keys.set(kid, createPublicKey(pem));
        pems[kid] = pem;
      } catch {
        // NOTE: one unreadable certificate must not make the others unusable.
      }
    }
    if (keys.size === 0) throw new Error(`GET ${this.url} answered no usable certificate`);
    this.expiresAt = this.now() + maxAgeMs(response.header('cache-control'));
    return { pems, keys };
  }

  private unavailable(cause: unknown): TokenRejection {
    return new TokenRejection('Signing certificates could not be fetched; retry later', 503, { cause });
  }
}

/** `max-age` of a Cache-Control header in ms, or the default when absent. */
function maxAgeMs(header: string | undefined): number {
  const match = header ? /(?:^|,)\s*max-age=(\d+)/i.exec(header) : null;
  return match ? Number(match[1]) * 1000 : CertsCachePolicy.defaultMaxAgeMs;
}
