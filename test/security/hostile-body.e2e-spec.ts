/**
 * Issue #4, hostile bodies: a table of generated bodies, each POSTed with a VALID token to the whole chain over real
 * HTTP. For each: no 5xx, the status the HTTP contract gives (invalid envelope/payload → 202 + `X-Job-Outcome: dead`,
 * oversize → 413, unknown job → 404), no processor call unless the body is a valid job, the app still runs a valid
 * job afterwards, and `Object.prototype` is never polluted.
 */
import { CertsServer, createSigningKey, signRs256, taskClaims } from './oidc-fixture.js';
import {
  bootSecureApp,
  envelope,
  rawHttp,
  send,
  sendRaw,
  taskHeaders,
  validSyncData,
  type HttpAnswer,
  type SecureApp,
} from './security-app.js';
import { HTTP_ADAPTERS } from '../../libs/cloud-tasks/src/testing/http-adapters.js';

const MAX_TASK_BYTES = 64 * 1024;
const key = createSigningKey();
let token = '';

// ---------------------------------------------------------------------------------------------------------------
// Building bodies
// ---------------------------------------------------------------------------------------------------------------

/** A value written into the JSON text as is (numbers JSON.stringify cannot produce, such as 1e400). */
class Raw {
  constructor(readonly text: string) {}
}
const raw = (text: string) => new Raw(text);

/** JSON text of `value`, with {@link Raw} values spliced in verbatim. */
function toJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)]);
}

const validEnvelope = (extra: Record<string, unknown> = {}) => envelope('sync', validSyncData(), extra);
/** A valid envelope with `data` changed: `set` gives a field a value, `drop` removes one. */
function withData(change: { set?: Record<string, unknown>; drop?: string }): Record<string, unknown> {
  const data: Record<string, unknown> = { ...validSyncData(), ...change.set };
  if (change.drop) delete data[change.drop];
  return validEnvelope({ data });
}
function withEnvelope(change: { set?: Record<string, unknown>; drop?: string }): Record<string, unknown> {
  const env: Record<string, unknown> = { ...validEnvelope(), ...change.set };
  if (change.drop) delete env[change.drop];
  return env;
}
const nest = (depth: number, open: string, close: string, inner = '1') => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
const huge = (n: number, ch = 'x') => ch.repeat(n);

// ---------------------------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------------------------

type Expectation = 'dead' | 'ok' | 413 | 414 | 404 | 400 | 'no-answer-or-4xx';

interface HostileCase {
  group: string;
  name: string;
  /** Body: a value sent as JSON, a string or Buffer sent as bytes, `undefined` for none. */
  body?: unknown;
  path?: string;
  /** Header overrides over a valid job's (token, queue, JSON content type); `null` removes one. */
  headers?: Record<string, string | null>;
  /** Send with chunked transfer encoding in chunks of this size. */
  chunkSize?: number;
  /** Send these exact bytes on a raw connection instead (built once the app is up). */
  rawRequest?: (port: number) => { bytes: Buffer; halfClose?: boolean; destroyAfterMs?: number; timeoutMs?: number };
  expect: Expectation;
  /** Where the adapter's own router answers before the job endpoint is reached, what it answers. */
  onFastify?: Expectation;
}

const cases: HostileCase[] = [];
const add = (group: string, list: Array<Omit<HostileCase, 'group'>>) => cases.push(...list.map((c) => ({ group, ...c })));

// Positive controls: the table must be able to tell a valid job from an invalid one.
add('valid controls', [
  { name: 'a valid job', body: validEnvelope(), expect: 'ok' },
  { name: 'a valid job with the optional field', body: withData({ set: { since: '2024-01-01T00:00:00Z' } }), expect: 'ok' },
  { name: 'a valid job with maxAttempts and dispatchDeadline', body: validEnvelope({ maxAttempts: 2, dispatchDeadline: 60 }), expect: 'ok' },
  { name: 'Content-Type with charset', body: toJson(validEnvelope()), headers: { 'Content-Type': 'application/json; charset=utf-8' }, expect: 'ok' },
  { name: 'Content-Type in capitals', body: toJson(validEnvelope()), headers: { 'Content-Type': 'APPLICATION/JSON' }, expect: 'ok' },
  { name: 'JSON surrounded by whitespace', body: `\n\t ${toJson(validEnvelope())} \r\n`, expect: 'ok' },
  { name: 'a body of exactly maxTaskBytes', body: (() => { const t = toJson(validEnvelope()); return t + ' '.repeat(MAX_TASK_BYTES - Buffer.byteLength(t)); })(), expect: 'ok' },
  { name: 'a valid job sent chunked (no Content-Length)', body: toJson(validEnvelope()), chunkSize: 16, expect: 'ok' },
]);

// Not JSON, or not the JSON of an object.
add('syntax and shape', [
  { name: 'empty body', body: '', expect: 'dead' },
  { name: 'no body at all', body: undefined, expect: 'dead' },
  { name: 'whitespace only', body: '  \n ', expect: 'dead' },
  ...['null', 'true', 'false', '0', '-1', '3.14', '1e400', '"a string"', '""', '[]', '[null]', '{}'].map((text) => ({ name: `the whole body is ${text}`, body: text, expect: 'dead' as const })),
  { name: 'an array holding a valid envelope', body: toJson([validEnvelope()]), expect: 'dead' },
  ...[0, 0.1, 0.25, 0.5, 0.75, 0.99].map((f) => ({
    name: `JSON truncated at ${Math.round(f * 100)}%`,
    body: toJson(validEnvelope()).slice(0, Math.max(1, Math.floor(toJson(validEnvelope()).length * f))),
    expect: 'dead' as const,
  })),
  { name: 'the envelope missing its last brace', body: toJson(validEnvelope()).slice(0, -1), expect: 'dead' },
  { name: 'trailing garbage', body: `${toJson(validEnvelope())}x`, expect: 'dead' },
  { name: 'two envelopes back to back', body: `${toJson(validEnvelope())}${toJson(validEnvelope())}`, expect: 'dead' },
  { name: 'single-quoted JSON', body: toJson(validEnvelope()).replace(/"/g, "'"), expect: 'dead' },
  { name: 'a JavaScript object literal', body: `{jobName:'sync',data:{},idempotencyKey:'k',enqueuedAt:'2024-01-01'}`, expect: 'dead' },
  { name: 'NaN as a value', body: toJson(withData({ set: { count: raw('NaN') } })), expect: 'dead' },
  { name: 'a comment in JSON', body: toJson(validEnvelope()).replace('{', '{/* hi */'), expect: 'dead' },
  { name: 'a trailing comma', body: toJson(validEnvelope()).replace(/}$/, ',}'), expect: 'dead' },
  { name: 'a UTF-8 byte order mark first', body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(toJson(validEnvelope()))]), expect: 'dead' },
  { name: 'a NUL byte between tokens', body: toJson(validEnvelope()).replace('{', '{\u0000'), expect: 'dead' },
  { name: 'invalid UTF-8 between tokens (0xFF)', body: Buffer.concat([Buffer.from('{'), Buffer.from([0xff]), Buffer.from(toJson(validEnvelope()).slice(1))]), expect: 'dead' },
  {
    name: 'invalid UTF-8 inside a string value (0xC3 0x28)',
    body: Buffer.from(toJson(withData({ set: { userId: 'user-\u0001' } })).replace('\\u0001', '\u00c3\u0028'), 'latin1'),
    expect: 'dead',
  },
  {
    name: 'an overlong UTF-8 encoding of "/" inside a string (0xC0 0xAF)',
    body: Buffer.from(toJson(withData({ set: { userId: 'user-\u0001' } })).replace('\\u0001', '\u00c0\u00af'), 'latin1'),
    expect: 'dead',
  },
  { name: 'a UTF-16 body', body: Buffer.from(toJson(validEnvelope()), 'utf16le'), expect: 'dead' },
]);

// Nesting.
add('deep nesting', [
  { name: '10,000 unclosed [', body: '['.repeat(10_000), expect: 'dead' },
  { name: '10,000 balanced [ ] as the whole body', body: nest(10_000, '[', ']'), expect: 'dead' },
  { name: '10,000 nested arrays as data', body: toJson(validEnvelope()).replace(/"data":\{[^}]*\{[^}]*\}[^}]*\}/, `"data":${nest(10_000, '[', ']')}`), expect: 'dead' },
  { name: '10,000 nested objects as data.address', body: toJson(validEnvelope()).replace(/"address":\{[^}]*\}/, `"address":${nest(10_000, '{"a":', '}')}`), expect: 'dead' },
  { name: '30,000 nested arrays (close to maxTaskBytes)', body: nest(30_000, '[', ']'), expect: 'dead' },
  { name: '65 levels in an extra envelope field', body: toJson(validEnvelope()).replace(/^\{/, `{"deep":${nest(65, '[', ']')},`), expect: 'dead' },
  { name: '65 levels in data.tags', body: toJson(validEnvelope()).replace(/"tags":\[[^\]]*\]/, `"tags":${nest(65, '[', ']', '"a"')}`), expect: 'dead' },
]);

// Every envelope field with wrong values, and each required one missing.
const notAString = [null, true, 0, -1, 1.5, raw('1e400'), [], {}, ['sync']];
const envelopeWrong: Record<string, unknown[]> = {
  jobName: [...notAString, '', 'ping', 'SYNC', 'sync ', ' sync', 'sync\u0000', huge(60_000)],
  data: [null, true, 0, 'data', '', [], [validSyncData()], {}],
  idempotencyKey: [...notAString, '', huge(501), huge(60_000)],
  enqueuedAt: [...notAString, '', 'not-a-date', '2024-13-45T99:99:99Z', huge(1000)],
  maxAttempts: [null, true, 0, -1, 1.5, raw('1e400'), '3', [], {}, raw('-0.0001')],
  dispatchDeadline: [null, true, 0, 14, 1801, 60.5, raw('1e400'), '60', [], {}],
};
add('envelope field types', [
  ...Object.entries(envelopeWrong).flatMap(([field, values]) =>
    values.map((value) => ({
      name: `envelope ${field} = ${describeValue(value)}`,
      body: toJson(withEnvelope({ set: { [field]: value } })),
      expect: 'dead' as const,
    })),
  ),
  ...['jobName', 'data', 'idempotencyKey', 'enqueuedAt'].map((field) => ({ name: `envelope without ${field}`, body: withEnvelope({ drop: field }), expect: 'dead' as const })),
]);

// Every payload field with wrong values, and each required one missing.
const payloadWrong: Record<string, unknown[]> = {
  userId: [...notAString, huge(65), huge(60_000)],
  count: [null, true, '3', '', -1, 1001, 1.5, raw('1e400'), raw('-1e400'), [], {}, [3]],
  dryRun: [null, 0, 1, 'true', 'false', '', [], {}, [true]],
  tags: [null, true, 0, 'a', '', {}, [1, 2], [null], [['a']], [{}], Array.from({ length: 11 }, () => 't'), [huge(33)], Array.from({ length: 10_000 }, () => 't')],
  address: [null, true, 0, 'a street', '', [], [{ street: 'x', zip: 1 }], { street: 1, zip: 1 }, { street: 'x' }, { zip: 1 }, { street: 'x', zip: -1 }, { street: 'x', zip: '1' }, { street: huge(101), zip: 1 }, {}],
  mode: [null, true, 0, '', 'FULL', 'full ', ['full'], {}],
  since: [true, 0, '', 'yesterday', '2024-02-30T25:00:00Z', [], {}],
};
add('payload field types', [
  ...Object.entries(payloadWrong).flatMap(([field, values]) =>
    values.map((value) => ({
      name: `data.${field} = ${describeValue(value)}`,
      body: toJson(withData({ set: { [field]: value } })),
      expect: 'dead' as const,
    })),
  ),
  ...['userId', 'count', 'dryRun', 'tags', 'address', 'mode'].map((field) => ({ name: `data without ${field}`, body: withData({ drop: field }), expect: 'dead' as const })),
]);

// Fields nobody asked for.
const OBJECT_METHOD_KEYS = ['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__'];
add('extra fields', [
  { name: 'an extra envelope field', body: validEnvelope({ extra: 1 }), expect: 'dead' },
  { name: 'retryCount smuggled into the envelope', body: validEnvelope({ retryCount: 0 }), expect: 'dead' },
  { name: 'an extra payload field', body: withData({ set: { isAdmin: true } }), expect: 'dead' },
  { name: 'an extra field in data.address', body: withData({ set: { address: { street: 'x', zip: 1, admin: true } } }), expect: 'dead' },
  ...OBJECT_METHOD_KEYS.map((k) => ({
    name: `data.${k} (an Object.prototype method name)`,
    body: withData({ set: { [k]: 1 } }),
    expect: 'dead' as const,
  })),
  { name: 'an extra field with a 60,000-character name', body: toJson(validEnvelope()).replace(/^\{/, `{"${huge(60_000, 'k')}":1,`), expect: 'dead' },
  { name: '3,000 extra payload fields', body: withData({ set: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`f${i}`, i])) }), expect: 'dead' },
]);

// Prototype pollution: the keys, everywhere.
const pollutionKeys = ['__proto__', 'constructor', 'prototype'];
const pollute = (k: string) => `"${k}":{"polluted":"yes","isAdmin":true}`;
const validText = () => toJson(validEnvelope());
add('prototype pollution', [
  ...pollutionKeys.flatMap((k) => [
    { name: `${k} at the top level`, body: validText().replace(/^\{/, `{${pollute(k)},`), expect: 'dead' as const },
    { name: `${k} in data`, body: validText().replace('"data":{', `"data":{${pollute(k)},`), expect: 'dead' as const },
    { name: `${k} in data.address`, body: validText().replace('"address":{', `"address":{${pollute(k)},`), expect: 'dead' as const },
    { name: `${k} in an object inside data.tags`, body: validText().replace('"tags":[', `"tags":[{${pollute(k)}},`), expect: 'dead' as const },
    { name: `${k} nested three levels down in an extra field`, body: validText().replace(/^\{/, `{"x":{"y":{${pollute(k)}}},`), expect: 'dead' as const },
  ]),
  { name: 'constructor.prototype in data', body: validText().replace('"data":{', '"data":{"constructor":{"prototype":{"polluted":"yes"}},'), expect: 'dead' },
  { name: '__proto__ written with unicode escapes', body: validText().replace('"data":{', '"data":{"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":"yes"},'), expect: 'dead' },
  { name: '__proto__ as a duplicate of a real key', body: validText().replace('"data":{', '"data":{"userId":"a","__proto__":{"polluted":"yes"},'), expect: 'dead' },
  { name: '__proto__ as the whole data', body: validText().replace(/"data":\{[^}]*\{[^}]*\}[^}]*\}/, '"data":{"__proto__":{"polluted":"yes","userId":"u"}}'), expect: 'dead' },
]);

// Sizes and lying lengths.
const oversize = () => toJson(withData({ set: { userId: huge(MAX_TASK_BYTES) } }));
add('oversize and lying lengths', [
  { name: 'maxTaskBytes + 1 bytes', body: (() => { const t = toJson(validEnvelope()); return t + ' '.repeat(MAX_TASK_BYTES + 1 - Buffer.byteLength(t)); })(), expect: 413 },
  { name: 'twice maxTaskBytes', body: oversize(), expect: 413 },
  { name: '1 MiB', body: huge(1024 * 1024, ' '), expect: 413 },
  { name: 'oversize, chunked (no Content-Length)', body: oversize(), chunkSize: 8 * 1024, expect: 413 },
  { name: 'oversize, no Content-Type', body: oversize(), headers: { 'Content-Type': null }, expect: 413 },
  {
    name: 'Content-Length claims 10 MB, a small body follows',
    rawRequest: () => ({ bytes: rawHttp('/api/jobs/sync', { ...validHeaders(), 'Content-Length': String(10_000_000), Connection: 'close' }, toJson(validEnvelope())) }),
    expect: 413,
  },
  {
    name: 'Content-Length claims 40 bytes, a whole envelope follows (Node refuses the leftover bytes)',
    rawRequest: () => ({ bytes: rawHttp('/api/jobs/sync', { ...validHeaders(), 'Content-Length': '40', Connection: 'close' }, toJson(validEnvelope())) }),
    expect: 'no-answer-or-4xx',
  },
  {
    name: 'Content-Length claims more than is sent, then the client goes away',
    rawRequest: () => ({ bytes: rawHttp('/api/jobs/sync', { ...validHeaders(), 'Content-Length': '5000' }, toJson(validEnvelope())), destroyAfterMs: 50, timeoutMs: 300 }),
    expect: 'no-answer-or-4xx',
  },
  {
    name: 'Content-Length claims more than is sent, then the client half-closes',
    rawRequest: () => ({ bytes: rawHttp('/api/jobs/sync', { ...validHeaders(), 'Content-Length': '5000' }, toJson(validEnvelope())), halfClose: true, timeoutMs: 300 }),
    expect: 'no-answer-or-4xx',
  },
  {
    name: 'both Content-Length and Transfer-Encoding (request smuggling shape)',
    rawRequest: () => ({ bytes: rawHttp('/api/jobs/sync', { ...validHeaders(), 'Content-Length': '4', 'Transfer-Encoding': 'chunked', Connection: 'close' }, `0\r\n\r\n${toJson(validEnvelope())}`) }),
    expect: 400,
  },
  {
    name: 'a negative Content-Length',
    rawRequest: () => ({ bytes: rawHttp('/api/jobs/sync', { ...validHeaders(), 'Content-Length': '-1', Connection: 'close' }, toJson(validEnvelope())) }),
    expect: 400,
  },
  {
    name: 'two different Content-Length headers',
    rawRequest: () => ({ bytes: Buffer.from(rawHttp('/api/jobs/sync', { ...validHeaders(), 'Content-Length': '2', Connection: 'close' }, '{}').toString('latin1').replace('Content-Length: 2', 'Content-Length: 2\r\nContent-Length: 9000'), 'latin1') }),
    expect: 400,
  },
  { name: 'a 60,000-character userId (under maxTaskBytes)', body: withData({ set: { userId: huge(60_000) } }), expect: 'dead' },
]);

// Content types.
add('content types', [
  ...['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/json-patch+json', 'text/json', 'application/xml', 'application/json5'].map((type) => ({
    name: `Content-Type ${type} with a valid envelope`,
    body: toJson(validEnvelope()),
    headers: { 'Content-Type': type },
    expect: 'dead' as const,
  })),
  { name: 'no Content-Type with a valid envelope', body: toJson(validEnvelope()), headers: { 'Content-Type': null }, expect: 'dead' },
  { name: 'a form-encoded body', body: 'jobName=sync&data[userId]=u&idempotencyKey=k&enqueuedAt=2024-01-01', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, expect: 'dead' },
]);

// Routing and Cloud Tasks headers.
add('routes and headers', [
  { name: 'an unknown job', path: '/api/jobs/nope', body: validEnvelope(), expect: 404 },
  { name: 'job name __proto__', path: '/api/jobs/__proto__', body: validEnvelope(), expect: 404 },
  { name: 'job name constructor', path: '/api/jobs/constructor', body: validEnvelope(), expect: 404 },
  { name: 'job name hasOwnProperty', path: '/api/jobs/hasOwnProperty', body: validEnvelope(), expect: 404 },
  { name: 'job name with an encoded NUL', path: '/api/jobs/sync%00', body: validEnvelope(), expect: 404 },
  // NOTE: Fastify's router refuses path parameters over maxParamLength (100) with 414 before any route runs.
  { name: 'a 5,000-character job name', path: `/api/jobs/${huge(5000, 'j')}`, body: validEnvelope(), expect: 404, onFastify: 414 },
  { name: 'the URL names a job the envelope does not', path: '/api/jobs/ping', headers: { 'X-CloudTasks-QueueName': 'ping-queue' }, body: validEnvelope(), expect: 'dead' },
  { name: 'no queue header', headers: { 'X-CloudTasks-QueueName': null }, body: validEnvelope(), expect: 400 },
  { name: 'the queue of another job', headers: { 'X-CloudTasks-QueueName': 'ping-queue' }, body: validEnvelope(), expect: 400 },
  { name: 'retry count beyond maxAttempts (per-job cap: dead)', headers: { 'X-CloudTasks-TaskRetryCount': '99' }, body: validEnvelope(), expect: 'dead' },
  ...['-1', 'abc', '1e400', ''].map((v) => ({ name: `retry count header "${v}" (read as 0)`, headers: { 'X-CloudTasks-TaskRetryCount': v }, body: validEnvelope(), expect: 'ok' as const })),
]);

function describeValue(value: unknown): string {
  if (value instanceof Raw) return value.text;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 20)}… (${text.length} chars)` : text;
}

function validHeaders(): Record<string, string> {
  return { ...taskHeaders('sync'), 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
}

// ---------------------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------------------

describe.each(HTTP_ADAPTERS)('on %s', (adapter) => {
  describe('hostile bodies with a valid token', () => {
    let certs: CertsServer;
    let app: SecureApp;
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const arrayPrototypeBefore = Object.getOwnPropertyNames(Array.prototype).sort();

    beforeAll(async () => {
      certs = await CertsServer.start([key]);
      app = await bootSecureApp({ adapter, auth: { mode: 'verify-signature', certsUrl: certs.url }, maxTaskBytes: MAX_TASK_BYTES });
      token = signRs256(key, taskClaims());
    });
    afterAll(async () => {
      await app?.close();
      await certs?.close();
    });

    it('has at least 100 generated cases', () => {
      expect(cases.length).toBeGreaterThanOrEqual(100);
      expect(new Set(cases.map((c) => `${c.group}: ${c.name}`)).size).toBe(cases.length);
    });

    async function deliver(c: HostileCase): Promise<{ status?: number; answer?: HttpAnswer; rawText?: string }> {
      if (c.rawRequest) {
        const { bytes, ...options } = c.rawRequest(app.port);
        const answer = await sendRaw(app.port, bytes, options);
        return { status: answer.status, rawText: answer.text };
      }
      const headers = { ...validHeaders(), ...c.headers };
      const body = c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body : typeof c.body === 'string' ? c.body : toJson(c.body);
      const answer = await send(app.origin, c.path ?? '/api/jobs/sync', { headers, body, chunkSize: c.chunkSize });
      return { status: answer.status, answer };
    }

    async function runCase(hostile: HostileCase): Promise<void> {
      const c = adapter === 'fastify' && hostile.onFastify !== undefined ? { ...hostile, expect: hostile.onFastify } : hostile;
      const before = { sync: app.sync.calls.length, ping: app.ping.calls.length, idem: app.idempotency.calls.length, dead: app.deadLetters.calls.length };
      const { status, answer, rawText } = await deliver(c);
      const processorCalls = app.sync.calls.length - before.sync + app.ping.calls.length - before.ping;
      const deadWrites = app.deadLetters.calls.slice(before.dead);

      if (status !== undefined) expect(status).toBeLessThan(500);
      switch (c.expect) {
        case 'ok':
          expect(status).toBe(200);
          expect(answer?.json).toEqual({ success: true, result: { synced: 'user-1' } });
          expect(processorCalls).toBe(1);
          break;
        case 'dead': {
          expect(status).toBe(202);
          if (answer) {
            expect(answer.headers['x-job-outcome']).toBe('dead');
            expect(answer.json).toEqual({ success: false, dead: true, error: expect.any(String) });
          } else {
            expect(rawText).toMatch(/\r\nX-Job-Outcome: dead\r\n/i);
          }
          expect(processorCalls).toBe(0);
          expect(deadWrites.map((w) => w.method)).toEqual(['save']);
          expect(deadWrites[0].args[0]).toMatchObject({ jobName: expect.any(String), reason: 'permanent' });
          // The key may be recorded (as dead, so that a redelivery is not dead-lettered twice), never as a success.
          for (const call of app.idempotency.calls.slice(before.idem)) {
            if (call.method === 'complete') expect(call.args[1]).toMatchObject({ state: 'done', dead: true });
          }
          break;
        }
        case 'no-answer-or-4xx':
          // NOTE: the first 40 bytes may still be judged (202 dead) before Node answers the leftovers with 400.
          if (status !== undefined && status !== 202) expect(status).toBeGreaterThanOrEqual(400);
          expect(processorCalls).toBe(0);
          break;
        default:
          expect(status).toBe(c.expect);
          expect(processorCalls).toBe(0);
          expect(deadWrites).toHaveLength(0);
          expect(app.idempotency.calls.length).toBe(before.idem);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();

      // The app is still up and still runs a valid job.
      const after = await send(app.origin, '/api/jobs/sync', { headers: validHeaders(), body: toJson(validEnvelope()) });
      expect(after.status).toBe(200);
      expect(app.sync.calls.length).toBe(before.sync + processorCalls + 1);
    }

    for (const group of [...new Set(cases.map((c) => c.group))]) {
      describe(group, () => {
        for (const c of cases.filter((x) => x.group === group)) {
          it(`${c.name} → ${c.expect}`, () => runCase(c));
        }
      });
    }

    it('never hands a processor data whose Object.prototype-named keys were set (refused, or at worst dropped)', async () => {
      for (const k of OBJECT_METHOD_KEYS) {
        const before = app.sync.calls.length;
        const res = await send(app.origin, '/api/jobs/sync', { headers: validHeaders(), body: toJson(withData({ set: { [k]: 1, address: { street: 'x', zip: 1, [k]: 2 } } })) });
        expect([200, 202]).toContain(res.status);
        if (res.status === 202) {
          expect(app.sync.calls).toHaveLength(before);
          continue;
        }
        const data = app.sync.calls[before].data as unknown as Record<string, unknown>;
        for (const target of [data, data.address as Record<string, unknown>]) {
          expect(Object.prototype.hasOwnProperty.call(target, k)).toBe(false);
          expect(typeof target[k]).toBe('function');
        }
      }
    });

    it('left Object.prototype and Array.prototype as they were', () => {
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
      expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayPrototypeBefore);
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    });

  });
});
