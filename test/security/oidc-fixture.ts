import { createHash, createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSelfSignedCertificate } from '../../libs/cloud-tasks-emulator/src/oidc/x509-certificate.builder.js';

/** What the app under test is configured with (audience defaults to the service URL). */
export const SERVICE_URL = 'https://jobs.example.test';
export const TASKS_SA = 'tasks@demo-project.iam.gserviceaccount.com';
export const OTHER_SA = 'intruder@evil-project.iam.gserviceaccount.com';
export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const PLACEHOLDER_SIGNATURE = 'SIGNATURE_REMOVED_BY_GOOGLE';

/** An RSA signing key, as Google publishes it: a key id and a self-signed X.509 certificate in PEM. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** `-----BEGIN CERTIFICATE-----…`, the value of Google's v1 certs map. */
  certificate: string;
  /** `-----BEGIN PUBLIC KEY-----…` (what an attacker would use as an HMAC secret). */
  publicKeyPem: string;
}

/** Generates a real 2048-bit RSA key (node:crypto) and its certificate. */
export function createSigningKey(commonName = 'securetoken.system.gserviceaccount.com'): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const now = Date.now();
  return {
    kid: createHash('sha1').update(spki).digest('hex'),
    privateKey,
    publicKey,
    certificate: buildSelfSignedCertificate({ privateKey, publicKey, commonName, notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 14 * 86_400_000) }),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface CertsServerOptions {
  /** `Cache-Control: max-age` of the answer (Google sends several hours). Default 3600. */
  maxAgeSeconds?: number;
  /** Delay before answering, to hold concurrent first requests on one fetch. */
  delayMs?: number;
}

/**
 * Serves signing certificates at `/certs` in Google's v1 format (`{ kid: PEM certificate }`, JSON, with
 * `Cache-Control: public, max-age=…`), like https://www.googleapis.com/oauth2/v1/certs, and counts the fetches.
 */
export class CertsServer {
  hits = 0;
  /** Status to answer with instead of the certs (e.g. 404 to simulate an outage without client retries). */
  failWith?: number;
  private constructor(
    private readonly server: Server,
    readonly url: string,
    public keys: SigningKey[],
    private readonly options: CertsServerOptions,
  ) {}

  static async start(keys: SigningKey[], options: CertsServerOptions = {}): Promise<CertsServer> {
    let self!: CertsServer;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/certs') {
        res.writeHead(404).end();
        return;
      }
      self.hits++;
      const answer = () => {
        if (self.failWith) {
          res.writeHead(self.failWith, { 'Content-Type': 'text/plain' }).end('unavailable');
          return;
        }
        const body = JSON.stringify(Object.fromEntries(self.keys.map((k) => [k.kid, k.certificate])));
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=UTF-8',
          'Cache-Control': `public, max-age=${self.options.maxAgeSeconds ?? 3600}, must-revalidate, no-transform`,
        });
        res.end(body);
      };
      if (self.options.delayMs) setTimeout(answer, self.options.delayMs);
      else answer();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new CertsServer(server, `http://127.0.0.1:${port}/certs`, keys, options);
    return self;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export type Claims = Record<string, unknown>;
export type JwtHeader = Record<string, unknown>;

export const b64url = (value: Buffer | string | object): string =>
  (Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))).toString('base64url');

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The claims of an ID token Cloud Tasks sends for an OIDC task (`oidcToken.serviceAccountEmail` = TASKS_SA). */
export function taskClaims(overrides: Claims = {}): Claims {
  const iat = nowSeconds();
  return {
    aud: SERVICE_URL,
    azp: '112233445566778899000',
    email: TASKS_SA,
    email_verified: true,
    exp: iat + 3600,
    iat,
    iss: GOOGLE_ISSUER,
    sub: '112233445566778899000',
    ...overrides,
  };
}

/** Removes claims (e.g. `without(taskClaims(), 'email')`). */
export function without(claims: Claims, ...names: string[]): Claims {
  const copy = { ...claims };
  for (const name of names) delete copy[name];
  return copy;
}

/** `header.claims.signature`, RS256-signed with `key` (the header's `kid` defaults to the key's). */
export function signRs256(key: SigningKey, claims: Claims, header: JwtHeader = {}): string {
  const signingInput = `${b64url({ alg: 'RS256', kid: key.kid, typ: 'JWT', ...header })}.${b64url(claims)}`;
  return `${signingInput}.${b64url(sign('sha256', Buffer.from(signingInput), key.privateKey))}`;
}

/** HS256 with an attacker-chosen secret (the classic "public key as HMAC secret" confusion). */
export function signHs256(secret: string, claims: Claims, header: JwtHeader = {}): string {
  const signingInput = `${b64url({ alg: 'HS256', typ: 'JWT', ...header })}.${b64url(claims)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

/** A token with an arbitrary signature segment (`''` for `alg: none`, or Cloud Run's placeholder). */
export function withSignature(header: JwtHeader, claims: Claims, signature: string): string {
  return `${b64url(header)}.${b64url(claims)}.${signature}`;
}

/** What Cloud Run passes on to a service behind IAM: the header and claims of a Google token, signature replaced. */
export function placeholderToken(kid: string, claims: Claims, header: JwtHeader = {}): string {
  return withSignature({ alg: 'RS256', kid, typ: 'JWT', ...header }, claims, PLACEHOLDER_SIGNATURE);
}

/** Replaces one character of a token segment (0 header, 1 claims, 2 signature) with another valid one. */
export function tamper(token: string, segment: 0 | 1 | 2): string {
  const parts = token.split('.');
  const s = parts[segment];
  const i = Math.floor(s.length / 2);
  parts[segment] = `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
  return parts.join('.');
}

/**
 * Pieces of a token that must never show up in a log line or a response body: the token, and every aligned
 * 16-character chunk of each of its segments (so a leak of 32 characters or more anywhere is caught).
 */
export function tokenFragments(token: string): string[] {
  const fragments = new Set<string>(token.length >= 8 ? [token] : []);
  for (const part of token.split(/[.\s]/)) {
    for (let i = 0; i + 16 <= part.length; i += 16) fragments.add(part.slice(i, i + 16));
  }
  return [...fragments];
}
