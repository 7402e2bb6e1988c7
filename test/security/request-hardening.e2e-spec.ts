/**
 * Issue #4, request hardening of OidcAuthGuard over real HTTP: one OAuth2Client whose certs are fetched once while
 * cached (also under a burst of concurrent first requests), expiry with a bounded skew, RS256 only, an unreachable
 * certs endpoint answered 503 (retried, never a silent pass), refusal reasons that are short and never quote the
 * token, and auth mode `none` refused in production.
 */
import { Test } from '@nestjs/testing';
import { CloudTasksModule } from '../../libs/cloud-tasks/src/index.js';
import {
  b64url,
  CertsServer,
  createSigningKey,
  signRs256,
  taskClaims,
  TASKS_SA,
  tokenFragments,
  SERVICE_URL,
} from './oidc-fixture.js';
import { bootSecureApp, envelope, send, taskHeaders, type HttpAnswer, type SecureApp } from './security-app.js';
import { sign } from 'node:crypto';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';

const keyA = createSigningKey();
const keyB = createSigningKey();
const now = () => Math.floor(Date.now() / 1000);

function postPing(app: SecureApp, token: string | null): Promise<HttpAnswer> {
  return send(app.origin, '/api/jobs/ping', {
    headers: { ...taskHeaders('ping'), 'Content-Type': 'application/json', Authorization: token === null ? null : `Bearer ${token}` },
    body: JSON.stringify(envelope('ping', { userId: 'u1' })),
  });
}

function expectNoTokenLeak(app: SecureApp, answers: HttpAnswer[], tokens: string[]): void {
  const logged = app.logger.text();
  for (const token of tokens) {
    for (const fragment of tokenFragments(token)) {
      expect(logged).not.toContain(fragment);
      for (const answer of answers) expect(answer.text).not.toContain(fragment);
    }
  }
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('certs: one client, fetched once while cached', () => {
    let certs: CertsServer;
    let app: SecureApp;

    beforeAll(async () => {
      // NOTE: a slow certs endpoint keeps the first fetch in flight while the whole burst arrives.
      certs = await CertsServer.start([keyA], { delayMs: 200 });
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url } });
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    it('serves a burst of 25 concurrent first requests with a single certs fetch', async () => {
      const answers = await Promise.all(Array.from({ length: 25 }, () => postPing(app, signRs256(keyA, taskClaims()))));
      expect(answers.map((a) => a.status)).toEqual(Array(25).fill(200));
      expect(app.ping.calls).toHaveLength(25);
      expect(certs.hits).toBe(1);
    });

    it('60 further requests, accepted and refused, cost one refresh at most (for the first unknown key id) while cached', async () => {
      const tokens = [
        ...Array.from({ length: 30 }, () => signRs256(keyA, taskClaims())),
        ...Array.from({ length: 15 }, () => signRs256(keyB, taskClaims(), { kid: keyA.kid })),
        ...Array.from({ length: 15 }, () => signRs256(keyB, taskClaims())),
      ];
      const statuses: number[] = [];
      for (const token of tokens) statuses.push((await postPing(app, token)).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(30);
      expect(statuses.filter((s) => s === 401)).toHaveLength(30);
      expect(certs.hits).toBe(2);
    });
  });

  describe('certs: the cache follows max-age (key rotation)', () => {
    let certs: CertsServer;
    let app: SecureApp;

    beforeAll(async () => {
      certs = await CertsServer.start([keyA], { maxAgeSeconds: 1 });
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url } });
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    it('drops a retired key once the cached certs expire, without waiting for a token to name an unknown key', async () => {
      expect((await postPing(app, signRs256(keyA, taskClaims()))).status).toBe(200);
      expect(certs.hits).toBe(1);
      certs.keys = [keyB];
      // Still cached for its max-age: the retired key verifies until then.
      expect((await postPing(app, signRs256(keyA, taskClaims({ jti: 'still-cached' })))).status).toBe(200);
      expect(certs.hits).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await postPing(app, signRs256(keyA, taskClaims({ jti: 'after-expiry' })))).status).toBe(401);
      expect((await postPing(app, signRs256(keyB, taskClaims()))).status).toBe(200);
      expect(certs.hits).toBe(2);
    });
  });

  describe('expiry with a bounded skew (clockSkewSeconds: 10)', () => {
    let certs: CertsServer;
    let app: SecureApp;

    beforeAll(async () => {
      certs = await CertsServer.start([keyA]);
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url, clockSkewSeconds: 10 } });
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    // NOTE: margins of 5 s either side of the 10 s skew keep this independent of when in the second it runs.
    it.each([
      { name: 'expired 5 s ago (inside the skew)', claims: () => taskClaims({ iat: now() - 3605, exp: now() - 5 }), status: 200 },
      { name: 'expired 15 s ago (beyond the skew)', claims: () => taskClaims({ iat: now() - 3615, exp: now() - 15 }), status: 401 },
      { name: 'expired 4 minutes ago (inside google-auth-library\'s own 5 min)', claims: () => taskClaims({ iat: now() - 3840, exp: now() - 240 }), status: 401 },
      { name: 'issued 5 s in the future (inside the skew)', claims: () => taskClaims({ iat: now() + 5, exp: now() + 3605 }), status: 200 },
      { name: 'issued 15 s in the future (beyond the skew)', claims: () => taskClaims({ iat: now() + 15, exp: now() + 3615 }), status: 401 },
      { name: 'issued 4 minutes in the future (inside google-auth-library\'s own 5 min)', claims: () => taskClaims({ iat: now() + 240, exp: now() + 3840 }), status: 401 },
      { name: 'a lifetime of exactly a day', claims: () => taskClaims({ iat: now() - 60, exp: now() - 60 + 86_400 }), status: 200 },
      { name: 'a lifetime of a day and a minute', claims: () => taskClaims({ iat: now() - 60, exp: now() + 86_400 }), status: 401 },
    ])('$name → $status', async ({ claims, status }) => {
      const before = app.ping.calls.length;
      const res = await postPing(app, signRs256(keyA, claims()));
      expect(res.status).toBe(status);
      expect(app.ping.calls.length - before).toBe(status === 200 ? 1 : 0);
    });
  });

  describe('RS256 only, even with a genuine RS256 signature', () => {
    let certs: CertsServer;
    let app: SecureApp;

    beforeAll(async () => {
      certs = await CertsServer.start([keyA]);
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url } });
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    it.each([['rs256'], ['RS256 '], ['RS384'], ['HS256'], ['none'], ['ES256'], [null], [256], [['RS256']]])('header alg %j → 401', async (alg) => {
      // A real RS256 signature by a trusted key: only the header's claim about the algorithm is wrong.
      const input = `${b64url({ alg, kid: keyA.kid, typ: 'JWT' })}.${b64url(taskClaims())}`;
      const token = `${input}.${b64url(sign('sha256', Buffer.from(input), keyA.privateKey))}`;
      app.logger.clear();
      const res = await postPing(app, token);
      expect(res.status).toBe(401);
      expect(app.logger.refusals()).toEqual([expect.objectContaining({ status: 401, reason: expect.stringMatching(/algorithm .* is not RS256/) })]);
      expect(app.ping.calls).toHaveLength(0);
    });
  });

  describe('refusal reasons: short, one line, never the token', () => {
    let certs: CertsServer;
    let app: SecureApp;

    beforeAll(async () => {
      certs = await CertsServer.start([keyA]);
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url } });
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    it('quotes hostile claim values JSON-escaped and cut short (no forged log lines, no huge lines)', async () => {
      const hostile = [
        taskClaims({ email: `${TASKS_SA}\n{"msg":"job completed","severity":"INFO"}` }),
        taskClaims({ aud: `${SERVICE_URL}\r\nX-Injected: 1${'a'.repeat(3000)}` }),
        taskClaims({ iss: `https://accounts.google.com\u2028${'b'.repeat(3000)}` }),
      ];
      for (const claims of hostile) {
        app.logger.clear();
        const token = signRs256(keyA, claims);
        const res = await postPing(app, token);
        expect([401, 403]).toContain(res.status);
        const [refusal] = app.logger.refusals();
        expect(refusal.reason).not.toMatch(/[\r\n\u2028]/);
        expect(refusal.reason.length).toBeLessThanOrEqual(250);
        expect(String(res.json?.error)).toBe(refusal.reason);
        expectNoTokenLeak(app, [res], [token]);
      }
    });

    it('refuses a token longer than any Google ID token without decoding it', async () => {
      app.logger.clear();
      const token = signRs256(keyA, taskClaims({ padding: 'p'.repeat(9000) }));
      const res = await postPing(app, token);
      expect(res.status).toBe(401);
      expect(app.logger.refusals()).toEqual([expect.objectContaining({ reason: 'Token is not a JWT' })]);
      expectNoTokenLeak(app, [res], [token]);
    });

    it('logs nothing of the token on the happy path either', async () => {
      app.logger.clear();
      const token = signRs256(keyA, taskClaims());
      const res = await postPing(app, token);
      expect(res.status).toBe(200);
      expect(app.logger.refusals()).toHaveLength(0);
      expectNoTokenLeak(app, [res], [token]);
    });
  });

  describe('certs endpoint unreachable', () => {
    let certs: CertsServer;
    let app: SecureApp;

    beforeAll(async () => {
      certs = await CertsServer.start([keyA]);
      certs.failWith = 404;
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url } });
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    it('answers 503 (Cloud Tasks retries), logs it once as an error without the token, runs nothing', async () => {
      app.logger.clear();
      const token = signRs256(keyA, taskClaims());
      const res = await postPing(app, token);
      expect(res.status).toBe(503);
      expect(res.json).toEqual({ error: expect.stringMatching(/certificates could not be fetched/i), retryable: true });
      const refusals = app.logger.refusals();
      expect(refusals).toEqual([expect.objectContaining({ status: 503 })]);
      expect(app.logger.entries.filter((e) => e.level === 'error')).toHaveLength(1);
      expect(app.sideEffects()).toEqual({ processorCalls: 0, idempotencyCalls: 0, deadLetterCalls: 0 });
      expectNoTokenLeak(app, [res], [token]);
    });

    it('does not fetch once per request while the certs URL fails: a burst of 200 costs a handful of fetches (backoff)', async () => {
      const before = certs.hits;
      const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => postPing(app, signRs256(keyA, taskClaims({ jti: `burst-${i}` })))));
      expect(answers.every((a) => a.status === 503)).toBe(true);
      expect(certs.hits - before).toBeLessThanOrEqual(2);
    });

    it('recovers once the certs are back, at the end of the backoff', async () => {
      certs.failWith = undefined;
      let res = await postPing(app, signRs256(keyA, taskClaims()));
      for (let i = 0; i < 100 && res.status === 503; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        res = await postPing(app, signRs256(keyA, taskClaims()));
      }
      expect(res.status).toBe(200);
      expect(app.ping.calls).toHaveLength(1);
    });

    it('still refuses a forged token with 401 rather than 503 while the certs are down, when it fails before any fetch', async () => {
      certs.failWith = 404;
      const hits = certs.hits;
      const res = await postPing(app, `${b64url({ alg: 'none' })}.${b64url(taskClaims())}.`);
      expect(res.status).toBe(401);
      expect(certs.hits).toBe(hits);
      certs.failWith = undefined;
    });
  });

  describe('certs: an unknown key id refreshes the certs, at most once per interval', () => {
    let certs: CertsServer;
    let app: SecureApp;

    beforeAll(async () => {
      certs = await CertsServer.start([keyA]);
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url } });
      expect((await postPing(app, signRs256(keyA, taskClaims()))).status).toBe(200);
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    it('a token of a key published after the last fetch verifies at once (rotation, or an emulator restarted with a new key)', async () => {
      certs.keys = [keyA, keyB];
      const before = certs.hits;
      const res = await postPing(app, signRs256(keyB, taskClaims()));
      expect(res.status).toBe(200);
      expect(certs.hits - before).toBe(1);
    });

    it('tokens naming unknown key ids do not make the verifier fetch for each of them', async () => {
      const stranger = createSigningKey();
      const before = certs.hits;
      const answers = await Promise.all(Array.from({ length: 50 }, () => postPing(app, signRs256(stranger, taskClaims()))));
      expect(answers.every((a) => a.status === 401)).toBe(true);
      expect(answers[0].json?.error).toBe('Token key id (kid) is not one of the signing certificates');
      expect(certs.hits - before).toBeLessThanOrEqual(1);
    });
  });

  describe('a reused token (Cloud Tasks reuses one per service account and audience)', () => {
    let certs: CertsServer;
    let app: SecureApp;

    beforeAll(async () => {
      certs = await CertsServer.start([keyA]);
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url, clockSkewSeconds: 0 } });
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    it('is accepted again while valid, and refused once it expires even though its signature was verified before', async () => {
      const exp = now() + 3;
      const token = signRs256(keyA, taskClaims({ iat: now() - 10, exp }));
      expect((await postPing(app, token)).status).toBe(200);
      expect((await postPing(app, token)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, (exp + 1) * 1000 - Date.now())));
      const late = await postPing(app, token);
      expect(late.status).toBe(401);
      expect(late.json).toEqual({ error: 'Token has expired', retryable: true });
      expect(app.ping.calls).toHaveLength(2);
    });
  });
});
