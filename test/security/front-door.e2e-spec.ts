import 'reflect-metadata';
import { request as httpRequest } from 'node:http';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { CertsServer, createSigningKey, signRs256, taskClaims } from './oidc-fixture.js';
import { bootSecureApp, envelope, send, taskHeaders, validSyncData, type HttpAnswer, type SecureApp } from './security-app.js';

const key = createSigningKey();
const MAX_TASK_BYTES = 256 * 1024;
const BIG = 200 * 1024;

/**
 * Writes the request head and the first `firstChunk` bytes of a `total`-byte body, then waits for an answer without
 * sending more: resolves with the answer and how many body bytes had been sent when it arrived.
 */
function answerBeforeBody(port: number, path: string, headers: Record<string, string>, total: number, firstChunk = 1024): Promise<{ status: number; text: string; sent: number; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'Content-Length': String(total) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), sent: firstChunk, connection: res.headers.connection });
        req.destroy();
      });
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.write(Buffer.alloc(firstChunk, 0x7b));
  });
}

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('the job endpoint reads its own body, after the token, on every path that reaches it', () => {
    let certs: CertsServer;
    let app: SecureApp;
    let token: string;

    beforeAll(async () => {
      certs = await CertsServer.start([key]);
      app = await bootSecureApp({ adapter, auth: { mode: 'verify-signature', certsUrl: certs.url }, maxTaskBytes: MAX_TASK_BYTES });
      token = signRs256(key, taskClaims());
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    const bodies: Array<[string, () => Buffer]> = [
      ['a BOM before the JSON', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(envelope('sync', validSyncData())))])],
      ['invalid UTF-8', () => Buffer.concat([Buffer.from('{'), Buffer.from([0xff]), Buffer.from(JSON.stringify(envelope('sync', validSyncData())).slice(1))])],
      ['a 200 kB body (over the 100 kB default of an app-wide JSON parser)', () => Buffer.from(JSON.stringify(envelope('sync', { ...validSyncData(), note: 'x'.repeat(BIG) })))],
    ];

    // NOTE: Express routes case-insensitively and ignores one trailing slash, so these variants reach the job endpoint
    // and must be read exactly like the canonical path; Fastify's router is exact, so they never reach it (the app's
    // not-found route answers them, 4xx, with Nest's error shape rather than the endpoint's).
    const variants = ['/API/jobs/sync', '/Api/Jobs/sync', '/api/jobs/sync/', '/API/JOBS/sync?via=query'];

    it.each(bodies)('%s: the same answer on every variant of the path as on /api/jobs/sync', async (_label, body) => {
      const headers = () => ({ ...taskHeaders('sync'), 'Content-Type': 'application/json', Authorization: `Bearer ${token}` });
      const canonical = await send(app.origin, '/api/jobs/sync', { headers: headers(), body: body() });
      expect(canonical.status).toBe(202);
      for (const path of variants) {
        const before = app.sideEffects();
        const answer = await send(app.origin, path, { headers: headers(), body: body() });
        if (adapter === 'express') {
          expect({ path, status: answer.status, error: answer.json?.error }).toEqual({ path, status: canonical.status, error: canonical.json?.error });
        } else {
          expect({ path, clientError: answer.status >= 400 && answer.status < 500, endpointAnswer: answer.json?.retryable }).toEqual({ path, clientError: true, endpointAnswer: undefined });
          expect(app.sideEffects()).toEqual(before);
        }
      }
    });

    it('a 200 kB body is refused by the endpoint (413 maxTaskBytes) only when over maxTaskBytes, never by an app parser', async () => {
      const headers = { ...taskHeaders('sync'), 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
      const over = Buffer.from(JSON.stringify(envelope('sync', { ...validSyncData(), note: 'y'.repeat(MAX_TASK_BYTES) })));
      for (const path of adapter === 'express' ? ['/api/jobs/sync', '/API/jobs/sync'] : ['/api/jobs/sync']) {
        const answer = await send(app.origin, path, { headers, body: over });
        expect(answer.status).toBe(413);
        expect(answer.json).toEqual({ error: `Request body exceeds ${MAX_TASK_BYTES} bytes (maxTaskBytes)`, retryable: true });
      }
    });

    describe('without a valid-looking token, 401 before any body is read or parsed', () => {
      const cases: Array<[string, Record<string, string>]> = [
        ['no Authorization header', {}],
        ['the word Bearer alone', { Authorization: 'Bearer' }],
        ['Bearer x', { Authorization: 'Bearer x' }],
        ['a token signed by another key', { Authorization: `Bearer ${signRs256(createSigningKey(), taskClaims())}` }],
      ];

      it.each(cases)('%s: a 200 kB invalid-JSON body gets 401, not an app parser 413/400, and is not read', async (_label, auth) => {
        const before = app.sideEffects();
        const paths = adapter === 'express' ? ['/api/jobs/sync', '/API/jobs/sync'] : ['/api/jobs/sync'];
        for (const path of paths) {
          const answer = await answerBeforeBody(app.port, path, { ...taskHeaders('sync'), 'Content-Type': 'application/json', ...auth }, BIG);
          expect({ path, status: answer.status }).toEqual({ path, status: 401 });
          expect(JSON.parse(answer.text)).toMatchObject({ retryable: true });
          // The answer came while most of the body was still unsent: nothing waited for it, and the connection closes.
          expect(answer.sent).toBeLessThan(BIG);
          expect(answer.connection).toBe('close');
        }
        expect(app.sideEffects()).toEqual(before);
      });
    });
  });

  describe('bytes of job bodies being read at once are capped per process (maxBodyBytesInFlight)', () => {
    let certs: CertsServer;
    let app: SecureApp;
    let token: string;
    const CAP = 1024 * 1024;

    beforeAll(async () => {
      certs = await CertsServer.start([key]);
      app = await bootSecureApp({ adapter, auth: { mode: 'verify-signature', certsUrl: certs.url }, options: { maxBodyBytesInFlight: CAP } });
      token = signRs256(key, taskClaims());
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    it('a body that would pass the cap while others are still arriving is answered 503 with Retry-After; the slow ones finish', async () => {
      const headers = { ...taskHeaders('sync'), 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
      const slowBody = Buffer.from(JSON.stringify(envelope('sync', { ...validSyncData(), note: 'z'.repeat(600 * 1024) })));
      // Two slow senders hold 2 × 600 kB of reservations: over the 1 MiB cap, so the second is refused at once.
      const slow = (size: number) => {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const done = new Promise<HttpAnswer>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port: app.port, path: '/api/jobs/sync', method: 'POST', headers: { ...headers, 'Content-Length': String(size) }, agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: JSON.parse(text) as Record<string, unknown> });
            });
          });
          req.on('error', reject);
          req.write(slowBody.subarray(0, 1024));
          void gate.then(() => req.end(slowBody.subarray(1024)));
        });
        return { release, done };
      };
      const first = slow(slowBody.length);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = slow(slowBody.length);
      const refused = await second.done;
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json).toEqual({ error: 'Too many job bodies are being read at once (maxBodyBytesInFlight); retry later.', retryable: true });
      first.release();
      second.release();
      // The first body was read whole and judged (its 600 kB note is not a SyncPayload field: dead, 202).
      const judged = await first.done;
      expect(judged.status).toBe(202);
      expect(String(judged.json?.error)).toContain('data.note is not allowed');
      // Once the first body is in, its reservation is gone: the same body is read again.
      const again = await send(app.origin, '/api/jobs/sync', { headers, body: slowBody });
      expect(again.status).toBe(202);
    });
  });
});
