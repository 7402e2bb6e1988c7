import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OAuth2Client } from 'google-auth-library';
import { startEmulator, type CloudTasksEmulator } from '../src/index.js';
import { clientFor, PARENT, queuePath, startCaptureServer } from './testing/e2e-support.js';

const SA = 'jobs@emu-project.iam.gserviceaccount.com';
const getJson = async (url: string) => (await fetch(url)).json() as Promise<Record<string, unknown>>;

describe('one port for gRPC and HTTP', () => {
  let emu: CloudTasksEmulator;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'emulator-port-'));
    emu = await startEmulator({ timeScale: 100, keyFile: path.join(dir, 'key.pem') });
  });

  afterAll(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the CloudTasks gRPC API and /certs, /jwks, /healthz at CLOUD_TASKS_EMULATOR_HOST', async () => {
    expect(emu.url).toBe(`http://${emu.grpcAddress}`);
    expect(emu.certsUrl).toBe(`http://${emu.grpcAddress}/certs`);
    const client = clientFor(emu);
    try {
      const [queue] = await client.createQueue({ parent: PARENT, queue: { name: queuePath('shared') } });
      expect(queue.state).toBe('RUNNING');
      const certs = await fetch(`http://${emu.grpcAddress}/certs`);
      expect(certs.headers.get('cache-control')).toContain('max-age=3600');
      expect(Object.keys((await certs.json()) as object)).toEqual([emu.keyId]);
      expect(((await getJson(`http://${emu.grpcAddress}/jwks`)).keys as { kid: string }[])[0].kid).toBe(emu.keyId);
      expect(await getJson(`http://${emu.grpcAddress}/healthz`)).toEqual({ status: 'ok' });
      // gRPC still answers on the same connection pool after HTTP traffic
      expect((await client.getQueue({ name: queue.name }))[0].name).toBe(queue.name);
    } finally {
      await client.close();
    }
  });

  it('publishes an OpenID discovery document whose JWKS verifies a dispatched token', async () => {
    const capture = await startCaptureServer();
    const client = clientFor(emu);
    try {
      const doc = await getJson(`${emu.url}/.well-known/openid-configuration`);
      expect(doc).toMatchObject({ issuer: 'https://accounts.google.com', jwks_uri: `${emu.url}/jwks`, id_token_signing_alg_values_supported: ['RS256'] });
      const parent = queuePath('discovery');
      await client.createQueue({ parent: PARENT, queue: { name: parent } });
      const [task] = await client.createTask({ parent, task: { httpRequest: { url: `${capture.url}/job`, oidcToken: { serviceAccountEmail: SA } } } });
      await emu.waitForTask(task.name!);
      const token = String(capture.requests[0].headers.authorization).replace('Bearer ', '');
      const [header, payload, signature] = token.split('.');
      const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
      const { keys } = (await getJson(String(doc.jwks_uri))) as { keys: (JsonWebKey & { kid: string })[] };
      const jwk = keys.find((k) => k.kid === kid)!;
      const valid = verify('sha256', Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64url'));
      expect(valid).toBe(true);
      expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({ iss: doc.issuer, email: SA, aud: `${capture.url}/job` });
    } finally {
      await client.close();
      await capture.close();
    }
  });

  it('serves the emulator clock at /clock, running timeScale times faster', async () => {
    const first = (await getJson(`${emu.url}/clock`)) as { now: number; timeScale: number };
    expect(first.timeScale).toBe(100);
    expect(Math.abs(first.now - emu.clock.now())).toBeLessThan(2_000);
    const realBefore = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = (await getJson(`${emu.url}/clock`)) as { now: number };
    const realElapsed = Date.now() - realBefore;
    expect(second.now - first.now).toBeGreaterThanOrEqual(50 * 100 - 200);
    expect(second.now - first.now).toBeLessThanOrEqual((realElapsed + 20) * 100);
  });

  it('also serves the HTTP side on an extra httpPort, which httpUrl and certsUrl then name', async () => {
    const extra = await startEmulator({ httpPort: 0, keyFile: false });
    try {
      expect(extra.httpUrl).not.toBe(extra.url);
      expect(extra.certsUrl).toBe(`${extra.httpUrl}/certs`);
      expect(await getJson(extra.certsUrl)).toEqual(await getJson(`${extra.url}/certs`));
      expect(Object.keys(await getJson(extra.certsUrl))).toEqual([extra.keyId]);
    } finally {
      await extra.close();
    }
  });
});

describe('restart in place', () => {
  it('comes back on the same port with the same key: tokens minted before and after verify with one OAuth2Client', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'emulator-restart-'));
    const keyFile = path.join(dir, 'key.pem');
    let emu = await startEmulator({ keyFile });
    const port = Number(emu.grpcAddress.split(':')[1]);
    const verifier = new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: emu.certsUrl } });
    const client = clientFor(emu);
    try {
      const before = emu.idToken(SA, 'https://svc.example');
      expect((await verifier.verifyIdToken({ idToken: before, audience: 'https://svc.example' })).getPayload()?.email).toBe(SA);
      await client.createQueue({ parent: PARENT, queue: { name: queuePath('survivor') } });

      const started = performance.now();
      await emu.close();
      emu = await startEmulator({ port, keyFile });
      const restartMs = performance.now() - started;
      expect(emu.grpcAddress).toBe(`127.0.0.1:${port}`);
      expect(restartMs).toBeLessThan(1_000);

      const after = emu.idToken(SA, 'https://other.example');
      expect((await verifier.verifyIdToken({ idToken: after, audience: 'https://other.example' })).getPayload()?.email).toBe(SA);
      expect((await verifier.verifyIdToken({ idToken: before, audience: 'https://svc.example' })).getPayload()?.email).toBe(SA);
      // the client made before the restart reconnects by itself (state is gone without a dataDir)
      await client.createQueue({ parent: PARENT, queue: { name: queuePath('reborn') } });
      const [queues] = await client.listQueues({ parent: PARENT });
      expect(queues.map((q) => q.name)).toEqual([queuePath('reborn')]);
    } finally {
      await client.close();
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('makes a new key at each start with keyFile: false', async () => {
    const a = await startEmulator({ keyFile: false });
    const b = await startEmulator({ keyFile: false });
    try {
      expect(a.keyFile).toBeUndefined();
      expect(a.keyId).not.toBe(b.keyId);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
