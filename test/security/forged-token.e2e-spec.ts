/**
 * Issue #4, forged tokens: the job endpoint behind OidcAuthGuard, over real HTTP, with real RSA keys and a local
 * certs server in Google's v1 PEM-map format. Every refusal must answer the right status, reach neither a processor
 * nor a store, be logged exactly once with its reason, and never show the token (in the body or in any log line).
 */
import {
  CertsServer,
  createSigningKey,
  OTHER_SA,
  placeholderToken,
  SERVICE_URL,
  signHs256,
  signRs256,
  tamper,
  taskClaims,
  TASKS_SA,
  tokenFragments,
  withSignature,
  without,
  type Claims,
} from './oidc-fixture.js';
import { bootSecureApp, envelope, send, taskHeaders, type HttpAnswer, type SecureApp } from './security-app.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';

const trusted = createSigningKey();
const rogue = createSigningKey('attacker');
const now = () => Math.floor(Date.now() / 1000);

/** POSTs a valid `ping` job with the given Authorization header (`null`: none). */
function postPing(app: SecureApp, authorization: string | null): Promise<HttpAnswer> {
  return send(app.origin, '/api/jobs/ping', {
    headers: { ...taskHeaders('ping'), 'Content-Type': 'application/json', Authorization: authorization },
    body: JSON.stringify(envelope('ping', { userId: 'u1' })),
  });
}

/** The whole contract of a refusal. */
async function expectRefused(app: SecureApp, authorization: string | null, status: 401 | 403, reason: RegExp): Promise<void> {
  app.logger.clear();
  const before = app.sideEffects();
  const res = await postPing(app, authorization);

  expect(res.status).toBe(status);
  expect(res.json).toEqual({ error: expect.any(String), retryable: true });
  expect(res.json!.error).toMatch(reason);
  expect(app.sideEffects()).toEqual(before);

  const refusals = app.logger.refusals();
  expect(refusals).toHaveLength(1);
  expect(refusals[0]).toMatchObject({ status, reason: expect.stringMatching(reason), jobName: 'ping' });

  const secret = authorization?.replace(/^\S+\s+/, '') ?? '';
  const logged = app.logger.text();
  for (const fragment of tokenFragments(secret)) {
    expect(res.text).not.toContain(fragment);
    expect(logged).not.toContain(fragment);
  }
}

interface RefusalCase {
  name: string;
  authorization: () => string | null;
  status: 401 | 403;
  reason: RegExp;
}

const bearer = (token: string) => `Bearer ${token}`;
const rs256 = (claims: Claims, header = {}) => bearer(signRs256(trusted, claims, header));

/** Refused in both modes: what no mode may accept. */
const refusedEverywhere: RefusalCase[] = [
  { name: 'no Authorization header', authorization: () => null, status: 401, reason: /missing/i },
  { name: 'empty Authorization header', authorization: () => '', status: 401, reason: /missing/i },
  { name: 'Basic credentials instead of a bearer token', authorization: () => `Basic ${Buffer.from('tasks:hunter2hunter2').toString('base64')}`, status: 401, reason: /missing/i },
  { name: 'bearer without a token', authorization: () => 'Bearer ', status: 401, reason: /missing/i },
  { name: 'two tokens in one header', authorization: () => `${rs256(taskClaims())} ${signRs256(trusted, taskClaims())}`, status: 401, reason: /missing/i },
  { name: 'not a JWT', authorization: () => bearer('opaque-access-token-ya29.a0AfB_byC'), status: 401, reason: /not a JWT/i },
  { name: 'two segments', authorization: () => bearer(signRs256(trusted, taskClaims()).split('.').slice(0, 2).join('.')), status: 401, reason: /not a JWT/i },
  { name: 'four segments', authorization: () => bearer(`${signRs256(trusted, taskClaims())}.c2VjcmV0c2VjcmV0`), status: 401, reason: /not a JWT/i },
  { name: 'header is not JSON', authorization: () => bearer(`bm90LWpzb24tYXQtYWxs.${signRs256(trusted, taskClaims()).split('.').slice(1).join('.')}`), status: 401, reason: /header/i },
  { name: 'claims are not JSON', authorization: () => bearer(withSignature({ alg: 'RS256', kid: trusted.kid }, {}, 'x').replace(/\.e30\./, '.bm90LWpzb24tY2xhaW1z.')), status: 401, reason: /claims|payload/i },
  { name: 'alg: none, empty signature', authorization: () => bearer(withSignature({ alg: 'none', typ: 'JWT' }, taskClaims(), '')), status: 401, reason: /algorithm/i },
  { name: 'alg: None, empty signature', authorization: () => bearer(withSignature({ alg: 'None', typ: 'JWT', kid: trusted.kid }, taskClaims(), '')), status: 401, reason: /algorithm/i },
  { name: 'alg: none with a junk signature', authorization: () => bearer(withSignature({ alg: 'none', kid: trusted.kid }, taskClaims(), 'c2lnbmF0dXJlc2lnbmF0dXJl')), status: 401, reason: /algorithm/i },
  { name: 'no alg at all', authorization: () => bearer(withSignature({ kid: trusted.kid, typ: 'JWT' }, taskClaims(), 'c2lnbmF0dXJlc2lnbmF0dXJl')), status: 401, reason: /algorithm/i },
  { name: 'HS256 signed with the public key (PEM) as the secret', authorization: () => bearer(signHs256(trusted.publicKeyPem, taskClaims(), { kid: trusted.kid })), status: 401, reason: /algorithm/i },
  { name: 'HS256 signed with the certificate as the secret', authorization: () => bearer(signHs256(trusted.certificate, taskClaims(), { kid: trusted.kid })), status: 401, reason: /algorithm/i },
  {
    name: 'HMAC signature under an RS256 header (alg confusion)',
    authorization: () => {
      const hs = signHs256(trusted.publicKeyPem, taskClaims(), { alg: 'RS256', kid: trusted.kid });
      return bearer(hs);
    },
    status: 401,
    reason: /signature/i,
  },
  { name: 'RS512 header', authorization: () => rs256(taskClaims(), { alg: 'RS512' }), status: 401, reason: /algorithm/i },
  { name: 'ES256 header', authorization: () => rs256(taskClaims(), { alg: 'ES256' }), status: 401, reason: /algorithm/i },
  { name: 'PS256 header', authorization: () => rs256(taskClaims(), { alg: 'PS256' }), status: 401, reason: /algorithm/i },
  { name: 'signed by a key not in the certs (its own kid)', authorization: () => bearer(signRs256(rogue, taskClaims())), status: 401, reason: /key id|kid|certificate/i },
  { name: 'signed by a key not in the certs (kid of a trusted key)', authorization: () => bearer(signRs256(rogue, taskClaims(), { kid: trusted.kid })), status: 401, reason: /signature/i },
  { name: 'no kid', authorization: () => bearer(signRs256(trusted, taskClaims(), { kid: undefined })), status: 401, reason: /key id|kid/i },
  { name: 'kid of a prototype property', authorization: () => bearer(signRs256(trusted, taskClaims(), { kid: '__proto__' })), status: 401, reason: /key id|kid/i },
  { name: 'valid token with one claim byte changed', authorization: () => bearer(tamper(signRs256(trusted, taskClaims()), 1)), status: 401, reason: /signature|claims/i },
  { name: 'valid token with one signature byte changed', authorization: () => bearer(tamper(signRs256(trusted, taskClaims()), 2)), status: 401, reason: /signature/i },
  {
    name: 'valid signature moved onto other claims',
    authorization: () => {
      const [h, , s] = signRs256(trusted, taskClaims()).split('.');
      return bearer(`${h}.${Buffer.from(JSON.stringify(taskClaims({ email: OTHER_SA }))).toString('base64url')}.${s}`);
    },
    status: 401,
    reason: /signature/i,
  },
  {
    name: 'signature in standard base64 (+ / =) so that the library quotes the token',
    authorization: () => {
      const token = signRs256(rogue, taskClaims(), { kid: trusted.kid });
      const [h, c, s] = token.split('.');
      return bearer(`${h}.${c}.${Buffer.from(s, 'base64url').toString('base64')}`);
    },
    status: 401,
    reason: /signature/i,
  },
  { name: 'valid signature, wrong aud', authorization: () => rs256(taskClaims({ aud: 'https://other-service.example.test' })), status: 401, reason: /audience/i },
  { name: 'valid signature, aud with a trailing slash', authorization: () => rs256(taskClaims({ aud: `${SERVICE_URL}/` })), status: 401, reason: /audience/i },
  { name: 'valid signature, aud as an array', authorization: () => rs256(taskClaims({ aud: [SERVICE_URL, 'https://x.test'] })), status: 401, reason: /audience/i },
  { name: 'valid signature, no aud', authorization: () => rs256(without(taskClaims(), 'aud')), status: 401, reason: /audience/i },
  { name: 'valid signature, wrong iss', authorization: () => rs256(taskClaims({ iss: 'https://evil.example.test' })), status: 401, reason: /issuer/i },
  { name: 'valid signature, no iss', authorization: () => rs256(without(taskClaims(), 'iss')), status: 401, reason: /issuer/i },
  { name: 'valid signature, expired an hour ago', authorization: () => rs256(taskClaims({ iat: now() - 7200, exp: now() - 3600 })), status: 401, reason: /expired/i },
  { name: 'valid signature, expired 2 minutes ago (inside the library\'s 5 min, beyond our 30 s skew)', authorization: () => rs256(taskClaims({ iat: now() - 3720, exp: now() - 120 })), status: 401, reason: /expired/i },
  { name: 'valid signature, no exp', authorization: () => rs256(without(taskClaims(), 'exp')), status: 401, reason: /exp/i },
  { name: 'valid signature, exp as a string', authorization: () => rs256(taskClaims({ exp: String(now() + 3600) })), status: 401, reason: /exp/i },
  { name: 'valid signature, iat 2 minutes in the future (beyond our 30 s skew)', authorization: () => rs256(taskClaims({ iat: now() + 120, exp: now() + 3720 })), status: 401, reason: /future/i },
  { name: 'valid signature, iat a day in the future', authorization: () => rs256(taskClaims({ iat: now() + 86_400, exp: now() + 90_000 })), status: 401, reason: /future|lifetime|too far/i },
  { name: 'valid signature, no iat', authorization: () => rs256(without(taskClaims(), 'iat')), status: 401, reason: /iat|issue/i },
  { name: 'valid signature, lifetime of two days', authorization: () => rs256(taskClaims({ iat: now(), exp: now() + 2 * 86_400 })), status: 401, reason: /lifetime|too far/i },
  { name: 'valid signature, wrong email', authorization: () => rs256(taskClaims({ email: OTHER_SA })), status: 403, reason: /not allowed/i },
  { name: 'valid signature, email in another case', authorization: () => rs256(taskClaims({ email: TASKS_SA.toUpperCase() })), status: 403, reason: /not allowed/i },
  { name: 'valid signature, allowed email with a suffix', authorization: () => rs256(taskClaims({ email: `${TASKS_SA}.evil.test` })), status: 403, reason: /not allowed/i },
  { name: 'valid signature, email as an array holding the allowed one', authorization: () => rs256(taskClaims({ email: [TASKS_SA] })), status: 403, reason: /not allowed/i },
  { name: 'valid signature, no email', authorization: () => rs256(without(taskClaims(), 'email')), status: 403, reason: /not allowed/i },
  { name: 'valid signature, email_verified false', authorization: () => rs256(taskClaims({ email_verified: false })), status: 403, reason: /verified/i },
  { name: 'valid signature, email_verified "true" (a string)', authorization: () => rs256(taskClaims({ email_verified: 'true' })), status: 403, reason: /verified/i },
  { name: 'valid signature, email_verified missing', authorization: () => rs256(without(taskClaims(), 'email_verified')), status: 403, reason: /verified/i },
  { name: 'empty signature under RS256', authorization: () => bearer(withSignature({ alg: 'RS256', kid: trusted.kid }, taskClaims(), '')), status: 401, reason: /signature/i },
  { name: 'placeholder signature in lower case', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims()).replace(/SIGNATURE_REMOVED_BY_GOOGLE$/, 'signature_removed_by_google')), status: 401, reason: /signature/i },
];

const placeholderRefusedInVerifyMode: RefusalCase[] = [
  { name: 'placeholder SIGNATURE_REMOVED_BY_GOOGLE with perfect claims', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims())), status: 401, reason: /signature was removed/i },
  { name: 'placeholder with an unknown kid', authorization: () => bearer(placeholderToken('0000', taskClaims())), status: 401, reason: /signature was removed/i },
];

/** In cloud-run-iam mode a placeholder token is judged on its claims: each wrong claim is refused. */
const placeholderWithWrongClaims: RefusalCase[] = [
  { name: 'placeholder, wrong aud', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims({ aud: 'https://other-service.example.test' }))), status: 401, reason: /audience/i },
  { name: 'placeholder, aud array without ours', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims({ aud: ['https://a.test', 'https://b.test'] }))), status: 401, reason: /audience/i },
  { name: 'placeholder, no aud', authorization: () => bearer(placeholderToken(trusted.kid, without(taskClaims(), 'aud'))), status: 401, reason: /audience/i },
  { name: 'placeholder, wrong iss', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims({ iss: 'https://evil.example.test' }))), status: 401, reason: /issuer/i },
  { name: 'placeholder, expired', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims({ iat: now() - 7200, exp: now() - 3600 }))), status: 401, reason: /expired/i },
  { name: 'placeholder, expired beyond the skew', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims({ iat: now() - 3660, exp: now() - 60 }))), status: 401, reason: /expired/i },
  { name: 'placeholder, no exp', authorization: () => bearer(placeholderToken(trusted.kid, without(taskClaims(), 'exp'))), status: 401, reason: /exp/i },
  { name: 'placeholder, exp as a string', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims({ exp: '9999999999' }))), status: 401, reason: /exp/i },
  { name: 'placeholder, exp 1e400 (Infinity)', authorization: () => bearer(withSignature({ alg: 'RS256', kid: trusted.kid }, {}, 'SIGNATURE_REMOVED_BY_GOOGLE').replace(/\.e30\./, `.${Buffer.from(JSON.stringify(taskClaims()).replace(/"exp":\d+/, '"exp":1e400')).toString('base64url')}.`)), status: 401, reason: /exp|lifetime/i },
  { name: 'placeholder, iat in the future', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims({ iat: now() + 600, exp: now() + 4200 }))), status: 401, reason: /future/i },
  { name: 'placeholder, no iat', authorization: () => bearer(placeholderToken(trusted.kid, without(taskClaims(), 'iat'))), status: 401, reason: /iat|issue/i },
  { name: 'placeholder, lifetime of a week', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims({ iat: now(), exp: now() + 7 * 86_400 }))), status: 401, reason: /lifetime/i },
  { name: 'placeholder, alg none in the header', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims(), { alg: 'none' })), status: 401, reason: /algorithm/i },
  { name: 'placeholder, claims not JSON', authorization: () => bearer(`${placeholderToken(trusted.kid, {}).split('.')[0]}.bm90LWpzb24tY2xhaW1z.SIGNATURE_REMOVED_BY_GOOGLE`), status: 401, reason: /claims|payload/i },
  { name: 'placeholder, wrong email', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims({ email: OTHER_SA }))), status: 403, reason: /not allowed/i },
  { name: 'placeholder, no email', authorization: () => bearer(placeholderToken(trusted.kid, without(taskClaims(), 'email'))), status: 403, reason: /not allowed/i },
  { name: 'placeholder, email_verified false', authorization: () => bearer(placeholderToken(trusted.kid, taskClaims({ email_verified: false }))), status: 403, reason: /verified/i },
  { name: 'placeholder, email_verified missing', authorization: () => bearer(placeholderToken(trusted.kid, without(taskClaims(), 'email_verified'))), status: 403, reason: /verified/i },
];

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('forged tokens: verify-signature mode', () => {
    let certs: CertsServer;
    let app: SecureApp;

    beforeAll(async () => {
      certs = await CertsServer.start([trusted]);
      app = await bootSecureApp({ adapter, auth: { mode: 'verify-signature', certsUrl: certs.url } });
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    it.each([...refusedEverywhere, ...placeholderRefusedInVerifyMode])('refuses $name with $status', async ({ authorization, status, reason }) => {
      await expectRefused(app, authorization(), status, reason);
    });

    it('let no refused request reach a processor, the idempotency store or the dead-letter store', () => {
      expect(app.sideEffects()).toEqual({ processorCalls: 0, idempotencyCalls: 0, deadLetterCalls: 0 });
    });

    it('accepts a valid token: the job runs once and is recorded', async () => {
      app.logger.clear();
      const res = await postPing(app, rs256(taskClaims()));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ success: true, result: { pong: 'u1' } });
      expect(app.ping.calls).toHaveLength(1);
      expect(app.idempotency.calls.map((c) => c.method)).toEqual(['claim', 'complete']);
      expect(app.deadLetters.calls).toHaveLength(0);
      expect(app.logger.refusals()).toHaveLength(0);
    });

    it('accepts the other issuer spelling Google uses (accounts.google.com)', async () => {
      const res = await postPing(app, rs256(taskClaims({ iss: 'accounts.google.com' })));
      expect(res.status).toBe(200);
    });

    it('fetched the certs twice for all of the above: at boot, and once for the first unknown key id (rate-limited)', () => {
      expect(certs.hits).toBe(2);
    });
  });

  describe('forged tokens: cloud-run-iam mode', () => {
    let certs: CertsServer;
    let app: SecureApp;

    beforeAll(async () => {
      certs = await CertsServer.start([trusted]);
      app = await bootSecureApp({ adapter, auth: { mode: 'cloud-run-iam', certsUrl: certs.url } });
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    it.each([...refusedEverywhere, ...placeholderWithWrongClaims])('refuses $name with $status', async ({ authorization, status, reason }) => {
      await expectRefused(app, authorization(), status, reason);
    });

    it('let no refused request reach a processor, the idempotency store or the dead-letter store', () => {
      expect(app.sideEffects()).toEqual({ processorCalls: 0, idempotencyCalls: 0, deadLetterCalls: 0 });
    });

    it('accepts a placeholder token with the right claims (Cloud Run IAM verified it), without fetching certs', async () => {
      const hitsBefore = certs.hits;
      const res = await postPing(app, bearer(placeholderToken(trusted.kid, taskClaims())));
      expect(res.status).toBe(200);
      expect(app.ping.calls).toHaveLength(1);
      expect(certs.hits).toBe(hitsBefore);
    });

    it('accepts a really signed valid token (verified as in verify-signature)', async () => {
      const res = await postPing(app, rs256(taskClaims()));
      expect(res.status).toBe(200);
      expect(app.ping.calls).toHaveLength(2);
    });
  });

  describe('cloud-run-iam mode announces itself at boot', () => {
    it('warns once that it is only safe behind Cloud Run IAM', async () => {
      const certs = await CertsServer.start([trusted]);
      const app = await bootSecureApp({ adapter, auth: { mode: 'cloud-run-iam', certsUrl: certs.url } });
      try {
        const warnings = app.logger.entries.filter((e) => e.level === 'warn' && typeof e.message === 'string' && e.message.includes('cloud-run-iam'));
        expect(warnings).toHaveLength(1);
        expect(String(warnings[0].message)).toMatch(/allUsers/);
      } finally {
        await app.close();
        await certs.close();
      }
    });
  });
});
