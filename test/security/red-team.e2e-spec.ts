/**
 * The findings of a red-team pass against the running service, one describe each, named after the finding. Every
 * test here failed before its fix. The JWT checks that held against every forgery stay in forged-token.e2e-spec.ts.
 */
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { ConsoleLogger, type INestApplication } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import {
  CloudTasksModule,
  DeadLetterService,
  JobHandler,
  JobQueueService,
  MemoryDeadLetterStore,
  MemoryIdempotencyStore,
  PermanentError,
  DeadLetterStoreFullError,
  type JobProcessor,
} from '../../libs/cloud-tasks/src/index.js';
import { NON_GOOGLE_CERTS_URL } from '../../libs/cloud-tasks/src/cloud-tasks.messages.js';
import { signTask } from '../../libs/cloud-tasks/src/auth/task-signature.js';
import { FakeCloudTasksClient, decodeTaskBody } from '../../libs/cloud-tasks/src/testing/fake-cloud-tasks-client.js';
import { HTTP_ADAPTERS, createHttpApp } from '../../libs/cloud-tasks/src/testing/http-adapters.js';
import { TEST_LOCAL_MODE } from '../../libs/cloud-tasks/src/testing/test-app.js';
import { CLOUD_TASKS_LOCAL_MODE } from '../../libs/cloud-tasks/src/options/local-mode.js';
import { CLOUD_TASKS_CLIENT } from '../../libs/cloud-tasks/src/cloud-tasks.tokens.js';
import { AppModule } from '../../src/app.module.js';
import { AppEnvError, loadAppEnv, type AppEnv } from '../../src/config/app-env.js';
import { CertsServer, createSigningKey, OTHER_SA, placeholderToken, signRs256, taskClaims, TASKS_SA, SERVICE_URL } from './oidc-fixture.js';
import { CapturingLogger, bootSecureApp, envelope, send, taskHeaders, validSyncData, type HttpAnswer, type SecureApp } from './security-app.js';

const key = createSigningKey();
const SECRET = 'current-signing-secret-0123456789abcdef';
const OLD_SECRET = 'previous-signing-secret-0123456789abcdef';
const GCP_ENV = { GCP_PROJECT_ID: 'catchup-prod', GCP_REGION: 'us-central1', CLOUD_RUN_URL: 'https://catchup.example.run.app', SERVICE_ACCOUNT_EMAIL: TASKS_SA };

function post(app: SecureApp, path: string, headers: Record<string, string | null>, body: Buffer | string): Promise<HttpAnswer> {
  return send(app.origin, path, { headers: { 'Content-Type': 'application/json', ...headers }, body });
}

describe('finding 1 — fail closed outside local mode (NODE_ENV is not what decides)', () => {
  /** The example's configuration against real Cloud Tasks, with `extra` on top. */
  const gcp = (extra: Record<string, string | undefined>) => ({ ...GCP_ENV, UPSTASH_REDIS_REST_URL: 'https://eu1-example.upstash.io', UPSTASH_REDIS_REST_TOKEN: 'token', ...extra });

  it.each([undefined, 'Production', 'prod', 'production ', 'staging'])('NODE_ENV=%p: ENABLE_DEV_ENDPOINTS=true cannot open the dev endpoint against Cloud Tasks', (nodeEnv) => {
    expect(() => loadAppEnv(gcp({ NODE_ENV: nodeEnv, ENABLE_DEV_ENDPOINTS: 'true' }))).toThrow(AppEnvError);
    expect(() => loadAppEnv(gcp({ NODE_ENV: nodeEnv, ENABLE_DEV_ENDPOINTS: 'true' }))).toThrow(/ENABLE_DEV_ENDPOINTS=true only works in local mode/);
    expect(loadAppEnv(gcp({ NODE_ENV: nodeEnv })).ENABLE_DEV_ENDPOINTS).toBe(false);
  });

  it('on Cloud Run (K_SERVICE set, no NODE_ENV) the service is in production: JSON logs, GCP settings required, no in-process emulator', () => {
    expect(() => loadAppEnv({ K_SERVICE: 'catchup' })).toThrow(/On Cloud Run \(K_SERVICE is set\) the service needs GCP_PROJECT_ID/);
    const env = loadAppEnv(gcp({ K_SERVICE: 'catchup' }));
    expect(env).toMatchObject({ NODE_ENV: 'production', LOG_FORMAT: 'json', ENABLE_DEV_ENDPOINTS: false });
  });

  it('NODE_ENV is read one way: trimmed and lower-cased, in the app and for the log format', () => {
    expect(loadAppEnv(gcp({ NODE_ENV: ' Production ' }))).toMatchObject({ NODE_ENV: 'production', LOG_FORMAT: 'json' });
  });

  async function bootExample(env: AppEnv): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(env)] })
      .overrideProvider(CLOUD_TASKS_CLIENT)
      .useValue(new FakeCloudTasksClient())
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  it.each([undefined, 'development', 'Production', 'prod'])('NODE_ENV=%p: auth mode "none" against Cloud Tasks is a boot error', async (nodeEnv) => {
    const env = loadAppEnv(gcp({ NODE_ENV: nodeEnv, JOBS_AUTH_MODE: 'none' }));
    await expect(bootExample(env)).rejects.toThrow(/auth\.mode "none" is only accepted in local mode/);
  });

  it('memory stores against Cloud Tasks are a boot error naming the settings, unless ALLOW_MEMORY_STORES=single-instance (logged)', async () => {
    const noStore = { ...GCP_ENV };
    await expect(bootExample(loadAppEnv(noStore))).rejects.toThrow(/Idempotency records would be kept in memory, which is only accepted in local mode/);
    const app = await bootExample(loadAppEnv({ ...noStore, ALLOW_MEMORY_STORES: 'single-instance' }));
    await app.close();
  });

  it('even with the configuration check bypassed, the dev endpoint refuses to start against Cloud Tasks', async () => {
    const env = { ...loadAppEnv(gcp({})), ENABLE_DEV_ENDPOINTS: true };
    await expect(bootExample(env)).rejects.toThrow(/only served in local mode/);
  });
});

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  let certs: CertsServer;
  beforeAll(async () => {
    certs = await CertsServer.start([key]);
  });
  afterAll(() => certs.close());

  describe('finding 2 — cloud-run-iam judges the token Cloud Run verified (X-Serverless-Authorization)', () => {
    let app: SecureApp;
    beforeAll(async () => {
      app = await bootSecureApp({ adapter, auth: { mode: 'cloud-run-iam', certsUrl: certs.url } });
    });
    afterAll(() => app.close());
    const body = () => JSON.stringify(envelope('ping', { userId: 'u1' }));

    it("an invoker's own token in X-Serverless-Authorization plus a forged placeholder token of the task account: 403, nothing runs", async () => {
      const before = app.sideEffects();
      const invoker = placeholderToken(key.kid, taskClaims({ email: OTHER_SA }));
      const forged = placeholderToken(key.kid, taskClaims());
      const res = await post(app, '/api/jobs/ping', { ...taskHeaders('ping'), 'X-Serverless-Authorization': `Bearer ${invoker}`, Authorization: `Bearer ${forged}` }, body());
      expect(res.status).toBe(403);
      expect(app.sideEffects()).toEqual(before);
    });

    it('the token Cloud Run verified, alone in X-Serverless-Authorization, is accepted', async () => {
      const res = await post(app, '/api/jobs/ping', { ...taskHeaders('ping'), 'X-Serverless-Authorization': `Bearer ${placeholderToken(key.kid, taskClaims())}` }, body());
      expect(res.status).toBe(200);
    });
  });

  describe('finding 2 — verify-signature verifies the token presented and refuses two different ones', () => {
    let app: SecureApp;
    beforeAll(async () => {
      app = await bootSecureApp({ adapter, auth: { mode: 'verify-signature', certsUrl: certs.url } });
    });
    afterAll(() => app.close());
    const body = () => JSON.stringify(envelope('ping', { userId: 'u1' }));

    it('two different tokens: 401', async () => {
      const res = await post(app, '/api/jobs/ping', { ...taskHeaders('ping'), 'X-Serverless-Authorization': `Bearer ${signRs256(key, taskClaims())}`, Authorization: `Bearer ${signRs256(key, taskClaims({ jti: 'other' }))}` }, body());
      expect(res.status).toBe(401);
      expect(res.json?.error).toBe('Authorization and X-Serverless-Authorization carry different tokens');
    });

    it('a valid token in X-Serverless-Authorization alone is verified like one in Authorization', async () => {
      expect((await post(app, '/api/jobs/ping', { ...taskHeaders('ping'), 'X-Serverless-Authorization': `Bearer ${signRs256(key, taskClaims())}` }, body())).status).toBe(200);
      expect((await post(app, '/api/jobs/ping', { ...taskHeaders('ping'), 'X-Serverless-Authorization': `Bearer ${placeholderToken(key.kid, taskClaims())}` }, body())).status).toBe(401);
    });
  });

  describe('finding 3 — linear-time payload checks: a body with 120k keys is refused before class-transformer sees it', () => {
    let app: SecureApp;
    let token: string;
    beforeAll(async () => {
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url } });
      token = signRs256(key, taskClaims());
    });
    afterAll(() => app.close());

    it('a 1 MiB body of keys in one object: 202 dead (invalid) with the shape error, before any payload validation', async () => {
      const keys = Array.from({ length: 95_000 }, (_, i) => `"${i.toString(36)}":1`).join(',');
      const raw = `{"jobName":"sync","data":{${keys}},"idempotencyKey":"k-${Date.now()}","enqueuedAt":"2026-01-01T00:00:00Z"}`;
      const before = app.sync.calls.length;
      const res = await post(app, '/api/jobs/sync', { ...taskHeaders('sync'), Authorization: `Bearer ${token}` }, raw);
      expect(res.status).toBe(202);
      expect(res.json?.error).toBe('Body has an object with more than 1000 keys');
      expect(app.sync.calls.length).toBe(before);
    });

    it('a body of 200,000 small values is refused the same way', async () => {
      const raw = `{"jobName":"sync","data":{"tags":[${Array.from({ length: 200_000 }, () => '0').join(',')}]},"idempotencyKey":"k-${Date.now()}","enqueuedAt":"2026-01-01T00:00:00Z"}`;
      const res = await post(app, '/api/jobs/sync', { ...taskHeaders('sync'), Authorization: `Bearer ${token}` }, raw);
      expect(res.status).toBe(202);
      expect(res.json?.error).toBe('Body holds more than 100000 values');
    });
  });

  describe('finding 4 — idempotency keys are namespaced by job', () => {
    let app: SecureApp;
    let token: string;
    beforeAll(async () => {
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url } });
      token = signRs256(key, taskClaims());
    });
    afterAll(() => app.close());

    it("a job added with another job's idempotency key runs (it is not answered with the other job's result)", async () => {
      const sharedKey = `shared-${Date.now()}`;
      const sync = await post(app, '/api/jobs/sync', { ...taskHeaders('sync'), Authorization: `Bearer ${token}` }, JSON.stringify(envelope('sync', validSyncData(), { idempotencyKey: sharedKey })));
      expect(sync.json).toEqual({ success: true, result: { synced: 'user-1' } });
      const ping = await post(app, '/api/jobs/ping', { ...taskHeaders('ping'), Authorization: `Bearer ${token}` }, JSON.stringify(envelope('ping', { userId: 'u9' }, { idempotencyKey: sharedKey })));
      expect(ping.json).toEqual({ success: true, result: { pong: 'u9' } });
      expect(app.idempotency.calls.filter((c) => c.method === 'claim').map((c) => c.args[0])).toEqual(expect.arrayContaining([`sync:${sharedKey}`, `ping:${sharedKey}`]));
    });
  });

  describe('finding 5 — task signing binds the body to the job; invalid deliveries cannot poison a key; maxAttempts bounded by the queue', () => {
    let app: SecureApp;
    let token: string;
    const client = new FakeCloudTasksClient();
    beforeAll(async () => {
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url }, options: { signing: { secrets: [SECRET, OLD_SECRET] } }, client });
      token = signRs256(key, taskClaims());
    });
    afterAll(() => app.close());
    const headers = (extra: Record<string, string> = {}) => ({ ...taskHeaders('ping'), Authorization: `Bearer ${token}`, ...extra });

    it("add() signs the task; Cloud Tasks' delivery of that exact body and header runs", async () => {
      const job = await app.app.get(JobQueueService).add('ping', { userId: 'signed' });
      const task = client.tasks.find((t) => t.name === job.taskName)!;
      const body = Buffer.from(task.httpRequest!.body as Uint8Array);
      const signature = (task.httpRequest!.headers as Record<string, string>)['x-job-signature'];
      expect(signature).toBe(signTask(SECRET, 'ping', body));
      expect(decodeTaskBody(task.httpRequest!.body)).toMatchObject({ jobName: 'ping', data: { userId: 'signed' } });
      expect((await post(app, '/api/jobs/ping', headers({ 'X-Job-Signature': signature }), body)).status).toBe(200);
    });

    it('a captured token with a body of the holder\'s choosing, unsigned or wrongly signed: 401, nothing runs', async () => {
      const before = app.sideEffects();
      const body = Buffer.from(JSON.stringify(envelope('ping', { userId: 'attacker' })));
      expect((await post(app, '/api/jobs/ping', headers(), body)).status).toBe(401);
      expect((await post(app, '/api/jobs/ping', headers({ 'X-Job-Signature': signTask('guessed-secret-0123456789abcdefghijkl', 'ping', body) }), body)).status).toBe(401);
      expect((await post(app, '/api/jobs/ping', headers({ 'X-Job-Signature': signTask(SECRET, 'sync', body) }), body)).status).toBe(401);
      const signed = Buffer.from(JSON.stringify(envelope('ping', { userId: 'real' })));
      const altered = Buffer.from(signed.toString().replace('real', 'evil'));
      expect((await post(app, '/api/jobs/ping', headers({ 'X-Job-Signature': signTask(SECRET, 'ping', signed) }), altered)).status).toBe(401);
      expect(app.sideEffects().processorCalls).toBe(before.processorCalls);
    });

    it('rotation: a task signed with the previous secret still runs', async () => {
      const body = Buffer.from(JSON.stringify(envelope('ping', { userId: 'old' })));
      expect((await post(app, '/api/jobs/ping', headers({ 'X-Job-Signature': signTask(OLD_SECRET, 'ping', body) }), body)).status).toBe(200);
    });

    it('an envelope maxAttempts above its queue\'s is invalid (dead), not a way to extend retries', async () => {
      const body = Buffer.from(JSON.stringify(envelope('ping', { userId: 'u1' }, { maxAttempts: 99 })));
      const res = await post(app, '/api/jobs/ping', headers({ 'X-Job-Signature': signTask(SECRET, 'ping', body) }), body);
      expect(res.status).toBe(202);
      expect(res.json?.error).toBe("Envelope field maxAttempts exceeds its queue's maxAttempts 3");
    });

    it('an invalid body sent first under a predictable key does not stop the real job later', async () => {
      const key = `poison-${Date.now()}`;
      const poison = Buffer.from(JSON.stringify(envelope('ping', { userId: 42 }, { idempotencyKey: key })));
      expect((await post(app, '/api/jobs/ping', headers({ 'X-Job-Signature': signTask(SECRET, 'ping', poison) }), poison)).status).toBe(202);
      const real = Buffer.from(JSON.stringify(envelope('ping', { userId: 'u-real' }, { idempotencyKey: key })));
      const res = await post(app, '/api/jobs/ping', headers({ 'X-Job-Signature': signTask(SECRET, 'ping', real) }), real);
      expect(res.json).toEqual({ success: true, result: { pong: 'u-real' } });
    });
  });

  describe('finding 9 — token details: canonical base64url, nbf, exp before iat', () => {
    let app: SecureApp;
    beforeAll(async () => {
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url } });
    });
    afterAll(() => app.close());
    const deliver = (token: string) => post(app, '/api/jobs/ping', { ...taskHeaders('ping'), Authorization: `Bearer ${token}` }, JSON.stringify(envelope('ping', { userId: 'u1' })));
    const [h, c, s] = signRs256(key, taskClaims()).split('.');

    it.each([
      ['padding on the signature', `${h}.${c}.${s}==`],
      ['"+" and "/" for "-" and "_"', `${h}.${c}.${s.replace(/-/g, '+').replace(/_/g, '/')}${/[-_]/.test(s) ? '' : '+'}`],
      ['a character inserted into the claims', `${h}.${c.slice(0, 5)}*${c.slice(5)}.${s}`],
      ['trailing bits changed in the header', `${h.slice(0, -1)}${String.fromCharCode(h.charCodeAt(h.length - 1) ^ 1)}.${c}.${s}`],
    ])('%s: 401', async (_label, token) => {
      const res = await deliver(token);
      expect(res.status).toBe(401);
    });

    it('a token not valid yet (nbf in the future): 401', async () => {
      const res = await deliver(signRs256(key, taskClaims({ nbf: Math.floor(Date.now() / 1000) + 600 })));
      expect(res.status).toBe(401);
      expect(res.json?.error).toBe('Token is not valid yet (nbf)');
    });

    it('a token that expires before it was issued: 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const res = await deliver(signRs256(key, taskClaims({ iat: now + 20, exp: now + 10 })));
      expect(res.status).toBe(401);
      expect(res.json?.error).toBe('Token expires before it was issued (exp < iat)');
    });
  });

  describe('finding 10 — redaction reaches as deep as the parser accepts, and short secrets too', () => {
    let app: INestApplication;
    let deadLetters: DeadLetterService;

    @JobHandler('deep')
    class DeepProcessor implements JobProcessor {
      process(data: unknown) {
        const { pin } = data as { pin: string };
        throw new PermanentError(`pin ${pin} refused; ${JSON.stringify(data)}`);
      }
    }

    beforeAll(async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [CloudTasksModule.forRoot({ projectId: 'demo-project', location: 'us-central1', serviceUrl: SERVICE_URL, serviceAccountEmail: TASKS_SA, queues: { deep: { name: 'deep-queue', retryConfig: { maxAttempts: 3, minBackoff: '1s', maxBackoff: '10s', maxDoublings: 2 } } }, auth: { mode: 'none' }, redactKeys: ['pin'] })],
        providers: [DeepProcessor],
      })
        .overrideProvider(CLOUD_TASKS_CLIENT)
        .useValue(new FakeCloudTasksClient())
        .overrideProvider(CLOUD_TASKS_LOCAL_MODE)
        .useValue(TEST_LOCAL_MODE)
        .setLogger(new CapturingLogger())
        .compile();
      app = await createHttpApp(moduleRef, adapter, { logger: false });
      await app.listen(0, '127.0.0.1');
      deadLetters = app.get(DeadLetterService);
    });
    afterAll(() => app.close());

    it('a password 50 levels deep and a 2-digit pin are masked in the answer and the dead letter', async () => {
      let nested: Record<string, unknown> = { password: 'hunter2-deep' };
      for (let i = 0; i < 50; i++) nested = { level: nested };
      const res = await send(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`, '/api/jobs/deep', {
        headers: { 'Content-Type': 'application/json', 'X-CloudTasks-QueueName': 'deep-queue' },
        body: JSON.stringify(envelope('deep', { pin: '42', note: 'order 1425', nested })),
      });
      expect(res.status).toBe(202);
      expect(res.text).not.toContain('hunter2-deep');
      expect(res.json?.error).toContain('pin [REDACTED] refused');
      expect(res.json?.error).toContain('order 1425');
      const [letter] = (await deadLetters.list({ jobName: 'deep' })).items;
      expect(JSON.stringify(letter)).not.toContain('hunter2-deep');
      expect(JSON.stringify(letter)).not.toContain('"42"');
    });
  });

  describe('finding 11 — dead letters do not hand out raw payloads', () => {
    let app: SecureApp;
    beforeAll(async () => {
      app = await bootSecureApp({ adapter, auth: { certsUrl: certs.url } });
    });
    afterAll(() => app.close());

    it('list() and get() return the masked data only; the raw payload only on request (what retry() sends)', async () => {
      const token = signRs256(key, taskClaims());
      const body = JSON.stringify(envelope('ping', { userId: 'u1', password: 'hunter2' }));
      expect((await post(app, '/api/jobs/ping', { ...taskHeaders('ping'), Authorization: `Bearer ${token}` }, body)).status).toBe(202);
      const service = app.app.get(DeadLetterService);
      const page = await service.list();
      expect(JSON.stringify(page)).not.toContain('hunter2');
      const shown = await service.get(page.items[0].id);
      expect(shown && 'payload' in shown).toBe(false);
      expect(shown?.data).toEqual({ userId: 'u1', password: '[REDACTED]' });
      expect((await service.get(page.items[0].id, { includePayload: true }))?.payload).toEqual({ userId: 'u1', password: 'hunter2' });
    });
  });
});

describe('finding 6 — memory stores are bounded', () => {
  it('the idempotency store drops the oldest done records first, never a running claim', async () => {
    const store = new MemoryIdempotencyStore(undefined, { maxEntries: 100 });
    await store.claim('running', 'owner', 60_000);
    for (let i = 0; i < 300; i++) await store.complete(`done-${i}`, 'o', { state: 'done', result: 'x'.repeat(100), at: i }, 3600);
    expect(store.size.entries).toBeLessThanOrEqual(100);
    expect(await store.get('running')).toMatchObject({ state: 'processing' });
    expect(await store.get('done-0')).toBeNull();
    expect(await store.get('done-299')).toMatchObject({ state: 'done' });
  });

  it('the idempotency store keeps its bytes bounded: 300 × 1 MB records stay within maxBytes', async () => {
    const store = new MemoryIdempotencyStore(undefined, { maxBytes: 16 * 1024 * 1024 });
    for (let i = 0; i < 300; i++) await store.complete(`big-${i}`, 'o', { state: 'done', result: 'x'.repeat(1024 * 1024), at: i }, 3600);
    expect(store.size.bytes).toBeLessThanOrEqual(16 * 1024 * 1024);
  });

  it('the dead-letter store refuses a record when full (loudly), it never drops one', async () => {
    const store = new MemoryDeadLetterStore({ maxEntries: 2 });
    const record = (id: string) => ({ id, jobName: 'j', queue: 'q', taskName: 't', idempotencyKey: id, data: {}, payload: {}, error: 'e', reason: 'permanent' as const, attempts: 1, failedAt: new Date().toISOString() });
    await store.save(record('a'));
    await store.save(record('b'));
    await expect(store.save(record('c'))).rejects.toBeInstanceOf(DeadLetterStoreFullError);
    expect((await store.list({})).items.map((r) => r.id).sort()).toEqual(['a', 'b']);
    await store.delete('a');
    await expect(store.save(record('c'))).resolves.toBeUndefined();
  });
});

describe('finding 7 — a payload value with a newline cannot forge a log line (pretty and JSON formats)', () => {
  class PingData {
    @IsString() @MaxLength(200) userId!: string;
  }
  @JobHandler('lookup', { payload: PingData })
  class LookupProcessor implements JobProcessor<PingData> {
    process(data: PingData) {
      throw new PermanentError(`user ${data.userId} not found`);
    }
  }

  it.each([false, true])('json=%p: one line per event, the newline escaped', async (json) => {
    const written: string[] = [];
    const logger = new ConsoleLogger({ json, colors: false, compact: true, breakLength: Infinity });
    const stdout = process.stdout.write.bind(process.stdout);
    const stderr = process.stderr.write.bind(process.stderr);
    const capture = (chunk: string | Uint8Array) => (written.push(String(chunk)), true);
    const moduleRef = await Test.createTestingModule({
      imports: [CloudTasksModule.forRoot({ projectId: 'demo-project', location: 'us-central1', serviceUrl: SERVICE_URL, serviceAccountEmail: TASKS_SA, queues: { lookup: { name: 'lookup-queue', retryConfig: { maxAttempts: 3, minBackoff: '1s', maxBackoff: '10s', maxDoublings: 2 } } }, auth: { mode: 'none' } })],
      providers: [LookupProcessor],
    })
      .overrideProvider(CLOUD_TASKS_CLIENT)
      .useValue(new FakeCloudTasksClient())
      .overrideProvider(CLOUD_TASKS_LOCAL_MODE)
      .useValue(TEST_LOCAL_MODE)
      .compile();
    const app = moduleRef.createNestApplication({ logger });
    await app.listen(0, '127.0.0.1');
    const origin = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    try {
      const forged = 'u1\n[Nest] 1  - 01/01/2026, 0:00:00 AM     LOG [CloudTasks] job lookup completed';
      const res = await send(origin, '/api/jobs/lookup', { headers: { 'Content-Type': 'application/json', 'X-CloudTasks-QueueName': 'lookup-queue' }, body: JSON.stringify(envelope('lookup', { userId: forged })) });
      expect(res.status).toBe(202);
    } finally {
      process.stdout.write = stdout;
      process.stderr.write = stderr;
      await app.close();
    }
    const lines = written.join('').split('\n').filter(Boolean);
    expect(lines.filter((l) => l.includes('not found'))).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('[Nest] 1  - 01/01/2026'))).toBe(false);
  });
});

describe('finding 8 — certs: a non-Google certs URL outside local mode is announced at boot', () => {
  it('logs a warning naming the URL', async () => {
    const logger = new CapturingLogger();
    const moduleRef = await Test.createTestingModule({
      imports: [CloudTasksModule.forRoot({ projectId: 'demo-project', location: 'us-central1', serviceUrl: SERVICE_URL, serviceAccountEmail: TASKS_SA, queues: {}, auth: { certsUrl: 'https://certs.attacker.example/certs' }, allowMemoryStores: 'single-instance' })],
    })
      .setLogger(logger)
      .compile();
    expect(logger.entries.filter((e) => e.level === 'warn').map((e) => e.message)).toContain(NON_GOOGLE_CERTS_URL('https://certs.attacker.example/certs'));
    await moduleRef.close();
  });
});
