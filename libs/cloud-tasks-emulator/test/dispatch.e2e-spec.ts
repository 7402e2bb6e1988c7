import { OAuth2Client } from 'google-auth-library';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { startEmulator, type CloudTasksEmulator } from '../src/index.js';
import { attemptsOf, clientFor, PARENT, queuePath, startCaptureServer, type CaptureServer } from './testing/e2e-support.js';

const SA = 'jobs@emu-project.iam.gserviceaccount.com';

describe('dispatch to a plain HTTP server', () => {
  let emu: CloudTasksEmulator;
  let client: CloudTasksClient;
  let capture: CaptureServer;
  let n = 0;
  const freshQueue = async () => {
    const name = queuePath(`d-${++n}`);
    // 1 s backoff at 100× = 10 ms real per retry.
    await client.createQueue({ parent: PARENT, queue: { name, retryConfig: { minBackoff: { seconds: 1 }, maxBackoff: { seconds: 1 } } } });
    return name;
  };

  beforeAll(async () => {
    emu = await startEmulator({ timeScale: 100 });
    client = clientFor(emu);
    capture = await startCaptureServer();
  });

  afterAll(async () => {
    await client.close();
    await capture.close();
    await emu.close();
  });

  beforeEach(() => {
    capture.requests.length = 0;
  });

  it('sends the body and headers, and the X-CloudTasks-* set with correct counts across retries', async () => {
    const statuses = [500, 404, 503, 200];
    capture.handler = (_req, res) => {
      res.statusCode = statuses[capture.requests.length - 1];
      res.end();
    };
    const parent = await freshQueue();
    const body = Buffer.concat([Buffer.from('{"job":"x","data":{"n":1}}'), Buffer.from([0x00, 0xff, 0xfe])]);
    const [task] = await client.createTask({
      parent,
      task: {
        name: `${parent}/tasks/with-headers`,
        httpRequest: {
          url: `${capture.url}/api/jobs/x?q=1`,
          body,
          headers: { 'Content-Type': 'application/json', 'X-Trace': 'abc', 'User-Agent': 'overridden', 'X-CloudTasks-TaskRetryCount': '99' },
        },
      },
    });
    const finished = await emu.waitForTask(task.name!);
    expect(finished.outcome).toBe('succeeded');
    expect(finished.task).toMatchObject({ dispatchCount: 4, responseCount: 4, executionCount: 2, retryCount: 3, lastStatus: 200 });

    const reqs = capture.requests;
    expect(reqs).toHaveLength(4);
    for (const req of reqs) {
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/api/jobs/x?q=1');
      expect(req.body.equals(body)).toBe(true);
      expect(req.headers).toMatchObject({
        'content-type': 'application/json',
        'content-length': String(body.length),
        'x-trace': 'abc',
        'user-agent': 'Google-Cloud-Tasks',
        'x-cloudtasks-queuename': parent.split('/').pop(),
        'x-cloudtasks-taskname': 'with-headers',
      });
      expect(req.headers.authorization).toBeUndefined();
    }
    const pick = (i: number) => ({
      retry: reqs[i].headers['x-cloudtasks-taskretrycount'],
      exec: reqs[i].headers['x-cloudtasks-taskexecutioncount'],
      prev: reqs[i].headers['x-cloudtasks-taskpreviousresponse'],
      reason: reqs[i].headers['x-cloudtasks-taskretryreason'],
    });
    // RetryCount counts every failure; ExecutionCount counts responses other than 5xx (the 404, not the 500/503).
    expect([0, 1, 2, 3].map(pick)).toEqual([
      { retry: '0', exec: '0', prev: undefined, reason: undefined },
      { retry: '1', exec: '0', prev: '500', reason: 'HTTP 500' },
      { retry: '2', exec: '1', prev: '404', reason: 'HTTP 404' },
      { retry: '3', exec: '1', prev: '503', reason: 'HTTP 503' },
    ]);

    const log = emu.attempts.forTask(task.name!);
    expect(log.map((a) => [a.attempt, a.retryCount, a.executionCount, a.status])).toEqual([
      [1, 0, 0, 500],
      [2, 1, 0, 404],
      [3, 2, 1, 503],
      [4, 3, 1, 200],
    ]);
    // The ETA is the attempt's schedule time on the emulator clock, in seconds with a fraction; never after dispatch.
    reqs.forEach((req, i) => {
      const eta = Number(req.headers['x-cloudtasks-tasketa']) * 1000;
      expect(req.headers['x-cloudtasks-tasketa']).toMatch(/^\d+\.\d{6}$/);
      expect(eta).toBeLessThanOrEqual(log[i].virtualTime + 0.001);
      if (i > 0) expect(eta).toBeGreaterThanOrEqual(log[i - 1].virtualTime + 1000);
    });
  });

  it('uses the task http method and sends no body for GET', async () => {
    capture.handler = (_req, res) => res.end();
    const parent = await freshQueue();
    const [task] = await client.createTask({ parent, task: { httpRequest: { url: `${capture.url}/get-me`, httpMethod: 'GET' } } });
    await emu.waitForTask(task.name!);
    expect(capture.requests[0]).toMatchObject({ method: 'GET', url: '/get-me' });
    expect(capture.requests[0].body.length).toBe(0);
  });

  describe('OIDC', () => {
    let verifier: OAuth2Client;
    beforeAll(() => {
      verifier = new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: emu.certsUrl } });
    });

    it('adds a token that google-auth-library verifies against /certs, with the task audience', async () => {
      capture.handler = (_req, res) => res.end();
      const parent = await freshQueue();
      const audience = 'https://my-service.example.run.app';
      const [task] = await client.createTask({
        parent,
        task: { httpRequest: { url: `${capture.url}/api/jobs/a`, headers: { Authorization: 'Bearer replaced' }, oidcToken: { serviceAccountEmail: SA, audience } } },
      });
      await emu.waitForTask(task.name!);
      const header = capture.requests[0].headers.authorization!;
      expect(header).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      const ticket = await verifier.verifyIdToken({ idToken: header.slice('Bearer '.length), audience });
      const payload = ticket.getPayload()!;
      expect(payload).toMatchObject({ iss: 'https://accounts.google.com', aud: audience, email: SA, email_verified: true });
      expect(payload.sub).toMatch(/^1\d{20}$/);
      expect(payload.azp).toBe(payload.sub);
      expect(payload.exp - payload.iat).toBe(3600);
      expect(Math.abs(payload.iat - Date.now() / 1000)).toBeLessThan(60);
      expect(ticket.getEnvelope()).toMatchObject({ alg: 'RS256', kid: emu.keyId, typ: 'JWT' });
    });

    it('uses the task URL as audience when none is given, and reuses the token per (email, audience)', async () => {
      capture.handler = (_req, res) => res.end();
      const parent = await freshQueue();
      const url = `${capture.url}/api/jobs/b`;
      for (let i = 0; i < 2; i++) {
        const [task] = await client.createTask({ parent, task: { httpRequest: { url, oidcToken: { serviceAccountEmail: SA } } } });
        await emu.waitForTask(task.name!);
      }
      const [first, second] = capture.requests.map((r) => r.headers.authorization!.slice('Bearer '.length));
      expect(second).toBe(first);
      const ticket = await verifier.verifyIdToken({ idToken: first, audience: url });
      expect(ticket.getPayload()?.aud).toBe(url);
    });

    it('signs custom claims with the emulator key for guard tests, and verification catches a wrong audience', async () => {
      const token = emu.signToken({ iss: 'https://accounts.google.com', aud: 'https://a', email: 'other@x', email_verified: false });
      const ticket = await verifier.verifyIdToken({ idToken: token, audience: 'https://a' });
      expect(ticket.getPayload()).toMatchObject({ email: 'other@x', email_verified: false });
      await expect(verifier.verifyIdToken({ idToken: token, audience: 'https://b' })).rejects.toThrow(/Wrong recipient/);
      const expired = emu.signToken({ iss: 'https://accounts.google.com', aud: 'https://a', iat: 1_000_000, exp: 1_003_600 });
      await expect(verifier.verifyIdToken({ idToken: expired, audience: 'https://a' })).rejects.toThrow(/too late/);
    });

    it('serves /certs with a cache lifetime, /jwks, /healthz and /attempts', async () => {
      const certs = await fetch(emu.certsUrl);
      expect(certs.status).toBe(200);
      expect(certs.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const pems = (await certs.json()) as Record<string, string>;
      expect(Object.keys(pems)).toEqual([emu.keyId]);
      expect(pems[emu.keyId]).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      expect(await (await fetch(emu.jwksUrl)).json()).toMatchObject({ keys: [{ kid: emu.keyId, kty: 'RSA', alg: 'RS256' }] });
      expect(await (await fetch(`${emu.httpUrl}/healthz`)).json()).toEqual({ status: 'ok' });
      const attempts = (await (await fetch(`${emu.httpUrl}/attempts`)).json()) as unknown[];
      expect(attempts.length).toBe(emu.attempts.size);
      expect((await fetch(`${emu.httpUrl}/nope`)).status).toBe(404);
    });
  });

  it('records a refused connection as a network error and retries it', async () => {
    const parent = await freshQueue();
    await client.updateQueue({ queue: { name: parent, retryConfig: { maxAttempts: 2, minBackoff: { seconds: 1 }, maxBackoff: { seconds: 1 } } } });
    const [task] = await client.createTask({ parent, task: { httpRequest: { url: 'http://127.0.0.1:9/unreachable' } } });
    const finished = await emu.waitForTask(task.name!);
    expect(finished.outcome).toBe('exhausted');
    expect(emu.attempts.forTask(task.name!).map((a) => a.status)).toEqual(['network-error', 'network-error']);
    expect(finished.task).toMatchObject({ dispatchCount: 2, responseCount: 0, executionCount: 0, retryCount: 2 });
  });

  it('emits attempt events and resolves idle() once everything is done', async () => {
    capture.handler = (_req, res) => res.end();
    const parent = await freshQueue();
    const seen: string[] = [];
    const listener = (a: { taskId: string }) => seen.push(a.taskId);
    emu.on('attempt', listener);
    for (let i = 0; i < 5; i++) await client.createTask({ parent, task: { name: `${parent}/tasks/e${i}`, httpRequest: { url: capture.url } } });
    await emu.idle();
    emu.off('attempt', listener);
    expect(seen.sort()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
  });


  it('follows redirects as the service does: 307 keeps method, body and token on the same host; another host gets no token', async () => {
    const other = await startCaptureServer();
    capture.handler = (req, res) => {
      if (req.url === '/moved') {
        res.writeHead(307, { Location: '/final' });
        return res.end();
      }
      if (req.url === '/elsewhere') {
        res.writeHead(302, { Location: `${other.url}/landed` });
        return res.end();
      }
      if (req.url === '/loop') {
        res.writeHead(308, { Location: '/loop' });
        return res.end();
      }
      res.end('ok');
    };
    try {
      const parent = await freshQueue();
      const oidcToken = { serviceAccountEmail: SA };
      const [kept] = await client.createTask({ parent, task: { httpRequest: { url: `${capture.url}/moved`, body: Buffer.from('payload'), oidcToken } } });
      expect((await emu.waitForTask(kept.name!)).task).toMatchObject({ dispatchCount: 1, lastStatus: 200 });
      const final = capture.requests.find((r) => r.url === '/final')!;
      expect(final).toMatchObject({ method: 'POST', body: Buffer.from('payload') });
      expect(final.headers.authorization).toMatch(/^Bearer /);

      const [moved] = await client.createTask({ parent, task: { httpRequest: { url: `${capture.url}/elsewhere`, body: Buffer.from('x'), oidcToken } } });
      expect((await emu.waitForTask(moved.name!)).outcome).toBe('succeeded');
      expect(other.requests[0]).toMatchObject({ method: 'GET', url: '/landed', body: Buffer.alloc(0) });
      expect(other.requests[0].headers.authorization).toBeUndefined();

      const [looping] = await client.createTask({ parent, task: { name: `${parent}/tasks/loop`, httpRequest: { url: `${capture.url}/loop` } } });
      await attemptsOf(emu, looping.name!, 1);
      expect(emu.attempts.forTask(looping.name!)[0].status).toBe(308);
      await client.deleteTask({ name: looping.name! });
    } finally {
      await other.close();
    }
  });});
