import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveCloudTasksOptions } from '../options/resolved-options.js';
import { testOptions } from '../testing/test-app.js';
import { TokenRejection } from '../errors/token-rejection.error.js';
import { IAP_ASSERTION_HEADER, IAP_ISSUER } from './dashboard.constants.js';
import { DASHBOARD_IDENTITY_NOT_ALLOWED } from './dashboard.messages.js';
import { DashboardIdentityVerifier } from './dashboard-identity.verifier.js';

const IAP_AUDIENCE = '/projects/123456789/global/backendServices/987654321';
const OIDC_AUDIENCE = 'https://jobs.example.test/_jobs';
const b64url = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A JWT signed with `key` as IAP (ES256, JOSE r||s signature) or Google (RS256) signs it. */
function jwt(alg: 'ES256' | 'RS256', kid: string, key: KeyObject, claims: Record<string, unknown>): string {
  const input = `${b64url({ alg, kid, typ: 'JWT' })}.${b64url(claims)}`;
  const signature = alg === 'ES256' ? sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }) : sign('sha256', Buffer.from(input), key);
  return `${input}.${b64url(signature)}`;
}

describe('DashboardIdentityVerifier', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let server: Server;
  let base: string;
  let verifier: DashboardIdentityVerifier;
  const iap = (claims: Record<string, unknown> = {}) => jwt('ES256', 'iap-1', ec.privateKey, { iss: IAP_ISSUER, aud: IAP_AUDIENCE, email: 'ops@example.com', sub: 'accounts.google.com:1', iat: now(), exp: now() + 600, ...claims });
  const idToken = (claims: Record<string, unknown> = {}) =>
    jwt('RS256', 'rsa-1', rsa.privateKey, { iss: 'https://accounts.google.com', aud: OIDC_AUDIENCE, email: 'ops@example.com', email_verified: true, sub: '1', iat: now(), exp: now() + 3600, ...claims });
  const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => (error instanceof TokenRejection ? { status: error.status, message: error.message } : error));

  beforeAll(async () => {
    // IAP publishes public keys, Google's v1 certs endpoint certificates: both are PEM maps by key id.
    const keys = { '/iap': { 'iap-1': ec.publicKey.export({ type: 'spki', format: 'pem' }) }, '/certs': { 'rsa-1': rsa.publicKey.export({ type: 'spki', format: 'pem' }) } };
    server = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys[req.url as keyof typeof keys] ?? {})));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    verifier = new DashboardIdentityVerifier(
      { allow: ['ops@example.com'], iap: { audience: IAP_AUDIENCE, certsUrl: `${base}/iap` }, oidc: { audience: OIDC_AUDIENCE, certsUrl: `${base}/certs` } },
      resolveCloudTasksOptions(testOptions()),
    );
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("accepts IAP's signed header for an allowed email (case-insensitively)", async () => {
    await expect(verifier.verify({ [IAP_ASSERTION_HEADER]: iap({ email: 'Ops@Example.com' }) })).resolves.toEqual({ email: 'Ops@Example.com', via: 'iap' });
  });

  it('accepts a Google ID token in Authorization: Bearer, verified like the job endpoint verifies Cloud Tasks', async () => {
    await expect(verifier.verify({ authorization: `Bearer ${idToken()}` })).resolves.toEqual({ email: 'ops@example.com', via: 'oidc' });
  });

  it('refuses someone not in the allow-list with 403, whichever token', async () => {
    expect(await refusal(verifier.verify({ [IAP_ASSERTION_HEADER]: iap({ email: 'eve@example.com' }) }))).toEqual({ status: 403, message: DASHBOARD_IDENTITY_NOT_ALLOWED('"eve@example.com"') });
    expect(await refusal(verifier.verify({ authorization: `Bearer ${idToken({ email: 'eve@example.com' })}` }))).toEqual({ status: 403, message: DASHBOARD_IDENTITY_NOT_ALLOWED('"eve@example.com"') });
    expect(await refusal(verifier.verify({ authorization: `Bearer ${idToken({ email_verified: false })}` }))).toMatchObject({ status: 403 });
  });

  it.each<[string, () => string, string]>([
    ['another audience', () => iap({ aud: '/projects/1/apps/other' }), 'IAP assertion audience is not accepted'],
    ['another issuer', () => iap({ iss: 'https://accounts.google.com' }), 'IAP assertion issuer is not IAP'],
    ['an expired assertion', () => iap({ iat: now() - 7200, exp: now() - 3600 }), 'IAP assertion has expired'],
    ['a tampered claim', () => { const [h, , s] = iap().split('.'); return `${h}.${b64url({ iss: IAP_ISSUER, aud: IAP_AUDIENCE, email: 'ops@example.com', iat: now(), exp: now() + 60 })}.${s}`; }, 'IAP assertion signature is invalid'],
    ['an RS256 token in the IAP header', () => idToken({ aud: IAP_AUDIENCE, iss: IAP_ISSUER }), 'IAP assertion is not signed with ES256'],
    ['an unknown key', () => jwt('ES256', 'iap-2', ec.privateKey, { iss: IAP_ISSUER, aud: IAP_AUDIENCE, email: 'ops@example.com', iat: now(), exp: now() + 60 }), 'IAP assertion key id (kid) is not one of the IAP keys'],
    ['not a JWT', () => 'nope', 'IAP assertion is not a JWT'],
  ])('refuses an IAP header with %s (401)', async (_case, token, message) => {
    expect(await refusal(verifier.verify({ [IAP_ASSERTION_HEADER]: token() }))).toEqual({ status: 401, message });
  });

  it("accepts a token Cloud Run verified (signature removed) only in the oidc option's cloud-run-iam mode", async () => {
    const [header, claims] = idToken().split('.');
    const placeholder = `${header}.${claims}.SIGNATURE_REMOVED_BY_GOOGLE`;
    expect(await refusal(verifier.verify({ authorization: `Bearer ${placeholder}` }))).toMatchObject({ status: 401, message: expect.stringContaining('signature was removed') });
    const behindIam = new DashboardIdentityVerifier({ allow: ['ops@example.com'], oidc: { audience: OIDC_AUDIENCE, mode: 'cloud-run-iam', certsUrl: `${base}/certs` } }, resolveCloudTasksOptions(testOptions()));
    await expect(behindIam.verify({ 'x-serverless-authorization': `Bearer ${placeholder}` })).resolves.toEqual({ email: 'ops@example.com', via: 'oidc' });
  });

  it('refuses a request without a token, a forged ID token, and one for another audience (401)', async () => {
    expect(await refusal(verifier.verify({}))).toMatchObject({ status: 401, message: expect.stringContaining(IAP_ASSERTION_HEADER) });
    expect(await refusal(verifier.verify({ authorization: `Bearer ${idToken().slice(0, -4)}AAAA` }))).toMatchObject({ status: 401 });
    expect(await refusal(verifier.verify({ authorization: `Bearer ${idToken({ aud: 'https://elsewhere.test' })}` }))).toMatchObject({ status: 401 });
  });
});
