import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Redis, errors } from '@upstash/redis';
import { createHash, randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { startUpstashLocal, UpstashLocalConfigError, type UpstashLocal } from '../src/index.js';

const TOKEN = `test-token-${randomUUID()}`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('upstash-local over a real Redis', () => {
  let server: UpstashLocal;
  let redis: Redis;
  const prefix = `upstash-local-test:${randomUUID()}:`;
  const k = (name: string): string => `${prefix}${name}`;

  const raw = async (
    path: string,
    init: { method?: string; body?: string; token?: string | null; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; json: unknown; headers: Headers }> => {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? TOKEN : init.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${server.url}${path}`, { method: init.method ?? 'POST', body: init.body, headers });
    return { status: res.status, json: (await res.json()) as unknown, headers: res.headers };
  };

  beforeAll(async () => {
    server = await startUpstashLocal({ token: TOKEN, redisUrl: REDIS_URL });
    redis = new Redis({ url: server.url, token: TOKEN });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await server.close();
  });

  beforeEach(() => server.resetStats());

  describe('through @upstash/redis with default options (auto-pipelining, base64)', () => {
    it('runs single commands: SET/GET, NX/PX/EX/GET options, DEL, INCR', async () => {
      expect(await redis.set(k('s1'), 'hello')).toBe('OK');
      expect(await redis.get(k('s1'))).toBe('hello');
      expect(await redis.set(k('s1'), 'other', { nx: true, px: 60_000 })).toBeNull();
      expect(await redis.set(k('s2'), 'first', { nx: true, px: 60_000 })).toBe('OK');
      expect(await redis.set(k('s2'), 'second', { get: true, ex: 60 })).toBe('first');
      expect(await redis.get(k('s2'))).toBe('second');
      expect(await redis.incr(k('n'))).toBe(1);
      expect(await redis.incr(k('n'))).toBe(2);
      expect(await redis.del(k('s1'), k('s2'), k('missing'))).toBe(2);
      expect(await redis.get(k('s1'))).toBeNull();
    });

    it('runs expiry commands: EXPIRE, PEXPIRE, TTL, PTTL', async () => {
      await redis.set(k('e'), 'v');
      expect(await redis.ttl(k('e'))).toBe(-1);
      expect(await redis.expire(k('e'), 100)).toBe(1);
      expect(await redis.ttl(k('e'))).toBeGreaterThan(98);
      expect(await redis.pexpire(k('e'), 50_000)).toBe(1);
      const pttl = await redis.pttl(k('e'));
      expect(pttl).toBeGreaterThan(49_000);
      expect(pttl).toBeLessThanOrEqual(50_000);
      expect(await redis.ttl(k('absent'))).toBe(-2);
    });

    it('stores objects as JSON and deserialises them back; MGET returns them in order', async () => {
      await redis.set(k('o1'), { state: 'done', result: { n: 1 }, at: 5 });
      await redis.set(k('o2'), ['a', 1]);
      expect(await redis.mget(k('o1'), k('nope'), k('o2'))).toEqual([{ state: 'done', result: { n: 1 }, at: 5 }, null, ['a', 1]]);
    });

    it('runs sorted-set commands: ZADD, ZRANGE (REV, BYLEX, BYSCORE, LIMIT), ZREVRANGE, ZREM, ZCARD', async () => {
      const z = k('z');
      expect(await redis.zadd(z, { score: 1, member: 'a' }, { score: 3, member: 'c' }, { score: 2, member: 'b' })).toBe(3);
      expect(await redis.zcard(z)).toBe(3);
      expect(await redis.zrange(z, 0, -1)).toEqual(['a', 'b', 'c']);
      expect(await redis.zrange(z, 0, -1, { rev: true })).toEqual(['c', 'b', 'a']);
      expect(await redis.zrange(z, 0, 1, { rev: true, withScores: true })).toEqual(['c', 3, 'b', 2]);
      expect(await redis.zrange(z, '+inf', '-inf', { byScore: true, rev: true, offset: 1, count: 1 })).toEqual(['b']);
      expect(await redis.exec(['ZREVRANGE', z, 0, 0])).toEqual(['c']);
      expect(await redis.zrem(z, 'b', 'zz')).toBe(1);
      const lex = k('lex');
      await redis.zadd(lex, { score: 0, member: 'x:1' }, { score: 0, member: 'x:2' }, { score: 0, member: 'x:3' });
      expect(await redis.zrange(lex, '(x:3', '-', { byLex: true, rev: true, offset: 0, count: 5 })).toEqual(['x:2', 'x:1']);
    });

    it('runs hash commands: HSET, HGET, HGETALL, HDEL', async () => {
      const h = k('h');
      expect(await redis.hset(h, { a: 'x', b: 2 })).toBe(2);
      expect(await redis.hget(h, 'a')).toBe('x');
      expect(await redis.hgetall(h)).toEqual({ a: 'x', b: 2 });
      expect(await redis.hdel(h, 'a')).toBe(1);
      expect(await redis.hget(h, 'a')).toBeNull();
    });

    it('runs SCAN and KEYS with MATCH', async () => {
      await redis.set(k('scan:1'), 'v');
      await redis.set(k('scan:2'), 'v');
      expect((await redis.keys(k('scan:*'))).sort()).toEqual([k('scan:1'), k('scan:2')]);
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, { match: k('scan:*'), count: 1000 });
        found.push(...keys);
        cursor = String(next);
      } while (cursor !== '0');
      expect(found.sort()).toEqual([k('scan:1'), k('scan:2')]);
    });

    it('batches calls made in the same tick into one pipeline request (auto-pipelining)', async () => {
      await Promise.all([redis.set(k('ap1'), 'a'), redis.set(k('ap2'), 'b'), redis.incr(k('apn'))]);
      const stats = server.stats();
      expect(stats.requests).toBe(1);
      expect(stats.requestsByEndpoint.pipeline).toBe(1);
      expect(stats.commands).toBe(3);
      expect(stats.commandsByName).toEqual({ SET: 2, INCR: 1 });
    });

    it('runs an explicit pipeline in one request, in order', async () => {
      const results = await redis.pipeline().set(k('p'), 'v').get(k('p')).incr(k('pn')).incr(k('pn')).exec();
      expect(results).toEqual(['OK', 'v', 1, 2]);
      expect(server.stats().requestsByEndpoint.pipeline).toBe(1);
    });

    it('runs a transaction (MULTI/EXEC) in one request and reports per-command errors', async () => {
      const results = await redis.multi().set(k('m'), 'v').incr(k('mn')).get(k('m')).exec();
      expect(results).toEqual(['OK', 1, 'v']);
      expect(server.stats().requestsByEndpoint.multiExec).toBe(1);

      const withError = await redis.multi().set(k('m2'), 'text').incr(k('m2')).get(k('m2')).exec({ keepErrors: true });
      expect(withError[0]).toEqual({ error: undefined, result: 'OK' });
      expect(withError[1].error).toMatch(/not an integer/);
      expect(withError[2]).toEqual({ error: undefined, result: 'text' });
      await expect(redis.multi().set(k('m3'), 'text').incr(k('m3')).exec()).rejects.toThrow(/Command 2 \[ incr \] failed/);
    });

    it('runs EVAL, SCRIPT LOAD and EVALSHA', async () => {
      expect(await redis.eval('return {KEYS[1], ARGV[1], 7}', [k('ev')], ['arg'])).toEqual([k('ev'), 'arg', 7]);
      const sha = await redis.scriptLoad('return ARGV[1]');
      expect(await redis.evalsha(sha, [], ['by-sha'])).toBe('by-sha');
    });

    it('passes NOSCRIPT through so the client falls back from EVALSHA to EVAL', async () => {
      expect(await redis.scriptFlush()).toBe('OK');
      const script = redis.createScript<string>(`return 'fallback:' .. ARGV[1] -- ${randomUUID()}`);
      server.resetStats();
      expect(await script.exec([], ['x'])).toBe('fallback:x');
      expect(server.stats().commandsByName).toEqual({ EVALSHA: 1, EVAL: 1 });
      server.resetStats();
      expect(await script.exec([], ['y'])).toBe('fallback:y');
      // NOTE: another Jest worker may SCRIPT FLUSH the shared Redis in between, forcing one more EVAL.
      expect(server.stats().commandsByName.EVALSHA).toBe(1);
      expect(server.stats().commandsByName.EVAL ?? 0).toBeLessThanOrEqual(1);
    });

    it('surfaces Redis errors as client exceptions (wrong type)', async () => {
      await redis.set(k('wt'), 'text');
      await expect(redis.hget(k('wt'), 'f')).rejects.toThrow(/WRONGTYPE/);
      await expect(redis.hget(k('wt'), 'f')).rejects.toBeInstanceOf(errors.UpstashError);
      const direct = new Redis({ url: server.url, token: TOKEN, enableAutoPipelining: false });
      await expect(direct.hget(k('wt'), 'f')).rejects.toThrow(/WRONGTYPE Operation against a key holding the wrong kind of value/);
      expect(server.stats().commandErrors).toBe(3);
    });

    it('rejects a wrong token with 401, which the client throws', async () => {
      const intruder = new Redis({ url: server.url, token: 'wrong-token', retry: false });
      await expect(intruder.get(k('x'))).rejects.toThrow(/Unauthorized/);
      expect(server.stats().unauthorized).toBe(1);
    });

    it('stringifies numbers and booleans before they reach Redis', async () => {
      await redis.set(k('num'), 42);
      await redis.set(k('float'), 1.5);
      await redis.set(k('bool'), true);
      const res = await raw('/pipeline', { body: JSON.stringify([['GET', k('num')], ['GET', k('float')], ['GET', k('bool')]]) });
      expect(res.json).toEqual([{ result: '42' }, { result: '1.5' }, { result: 'true' }]);
      expect(await redis.incrby(k('num'), 8)).toBe(50);
    });
  });

  describe('response encoding', () => {
    const samples = [
      'plain',
      'OK',
      'héllo wörld ✓ — 日本語 🚀',
      'control \u0000\u0001\u0007\u001f chars',
      'latin1 \u00ff\u00fe bytes',
      '=== not base64 ===',
      'T0s=',
      '',
      '{"looks":"like json"',
    ];
    const clients: [string, () => Redis][] = [
      ['base64 (default)', () => redis],
      ['off', () => new Redis({ url: server.url, token: TOKEN, responseEncoding: false })],
    ];

    it.each(clients)('round-trips unicode and binary-ish strings, top level and in arrays, with encoding %s', async (_, client) => {
      const c = client();
      for (const [i, value] of samples.entries()) {
        await c.set(k(`enc:${i}`), value);
        expect(await c.get(k(`enc:${i}`))).toBe(value);
      }
      const keys = samples.map((_, i) => k(`enc:${i}`));
      expect(await c.mget(...keys)).toEqual(samples);
      const nested = await c.eval<string[], unknown>("return {ARGV[1], {ARGV[2], {'deep', ARGV[1]}}, 3, redis.status_reply('OK')}", [], [
        'OK',
        'ünï',
      ]);
      expect(nested).toEqual(['OK', ['ünï', ['deep', 'OK']], 3, 'OK']);
    });

    it('base64-encodes every string except a top-level OK; numbers and null stay as they are', async () => {
      const b64 = { 'Upstash-Encoding': 'base64' };
      const set = await raw('/', { body: JSON.stringify(['SET', k('raw'), 'héllo']), headers: b64 });
      expect(set.json).toEqual({ result: 'OK' });
      const get = await raw('/', { body: JSON.stringify(['GET', k('raw')]), headers: b64 });
      expect(get.json).toEqual({ result: Buffer.from('héllo').toString('base64') });
      await raw('/', { body: JSON.stringify(['SET', k('rawok'), 'OK']) });
      const arr = await raw('/', { body: JSON.stringify(['MGET', k('raw'), k('rawok'), k('none')]), headers: b64 });
      expect(arr.json).toEqual({ result: [Buffer.from('héllo').toString('base64'), 'T0s=', null] });
      const pipe = await raw('/pipeline', { body: JSON.stringify([['INCR', k('rawn')], ['GET', k('rawok')]]), headers: b64 });
      expect(pipe.json).toEqual([{ result: 1 }, { result: 'OK' }]);
      const plain = await raw('/', { body: JSON.stringify(['MGET', k('raw'), k('rawok')]) });
      expect(plain.json).toEqual({ result: ['héllo', 'OK'] });
    });
  });

  describe('raw HTTP shapes', () => {
    it('answers {result} with 200 and {error} with 400 for a single command', async () => {
      const ok = await raw('/', { body: JSON.stringify(['SET', k('h1'), 'v']) });
      expect(ok).toMatchObject({ status: 200, json: { result: 'OK' } });
      const bad = await raw('/', { body: JSON.stringify(['NOSUCHCOMMAND', 'x']) });
      expect(bad.status).toBe(400);
      expect(bad.json).toEqual({ error: expect.stringMatching(/^ERR unknown command/) });
      const syntax = await raw('/', { body: JSON.stringify(['SET', k('h1'), 'v', 'BOGUS']) });
      expect(syntax).toMatchObject({ status: 400, json: { error: 'ERR syntax error' } });
    });

    it('answers 400 for malformed JSON and for bodies that are not commands', async () => {
      for (const body of ['[oops', '', '{"a":1}', '[]', '[1,2]']) {
        const res = await raw('/', { body });
        expect(res.status).toBe(400);
        expect(res.json).toEqual({ error: expect.stringMatching(/^ERR /) });
      }
      for (const body of ['[oops', '[]', '[["GET"],"x"]']) {
        expect((await raw('/pipeline', { body })).status).toBe(400);
        expect((await raw('/multi-exec', { body })).status).toBe(400);
      }
    });

    it('answers 401 without a token or with a wrong one, and accepts ?_token=', async () => {
      const body = JSON.stringify(['GET', k('auth')]);
      expect(await raw('/', { body, token: null })).toMatchObject({ status: 401, json: { error: 'Unauthorized' } });
      expect((await raw('/', { body, token: 'nope' })).status).toBe(401);
      expect((await raw('/', { body, token: null, headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
      expect((await raw(`/?_token=${encodeURIComponent(TOKEN)}`, { body, token: null })).status).toBe(200);
      expect((await raw('/_stats', { method: 'GET', token: null })).status).toBe(401);
    });

    it('answers a pipeline with 200 and a per-item {result}/{error}', async () => {
      const res = await raw('/pipeline', {
        body: JSON.stringify([['SET', k('pl'), 'text'], ['INCR', k('pl')], ['GET', k('pl')], ['SUBSCRIBE', 'chan']]),
      });
      expect(res.status).toBe(200);
      expect(res.json).toEqual([
        { result: 'OK' },
        { error: 'ERR value is not an integer or out of range' },
        { result: 'text' },
        { error: expect.stringMatching(/SUBSCRIBE is served as an event stream/) },
      ]);
    });

    it('answers a transaction aborted at queue time with 400 EXECABORT and runs none of it', async () => {
      const res = await raw('/multi-exec', { body: JSON.stringify([['SET', k('ab'), 'v'], ['NOSUCH', 'x']]) });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: expect.stringMatching(/^EXECABORT .*unknown command/) });
      expect(await redis.get(k('ab'))).toBeNull();
    });

    it('supports the path form with GET and POST (body as last argument)', async () => {
      expect((await raw(`/set/${encodeURIComponent(k('path'))}/a%2Fb`, { method: 'GET' })).json).toEqual({ result: 'OK' });
      expect((await raw(`/get/${encodeURIComponent(k('path'))}`, { method: 'GET' })).json).toEqual({ result: 'a/b' });
      expect((await raw(`/set/${encodeURIComponent(k('path'))}`, { body: 'from body' })).json).toEqual({ result: 'OK' });
      expect((await raw(`/get/${encodeURIComponent(k('path'))}`, { method: 'GET' })).json).toEqual({ result: 'from body' });
      expect((await raw(`/set/${encodeURIComponent(k('path'))}/v?EX=100`, { method: 'GET' })).json).toEqual({ result: 'OK' });
      expect(await redis.ttl(k('path'))).toBeGreaterThan(98);
      expect((await raw('/', { method: 'GET' })).status).toBe(400);
    });

    it('answers 405 for other methods and 413 over the body limit', async () => {
      expect((await raw('/', { method: 'PUT', body: '["GET","x"]' })).status).toBe(405);
      expect((await raw('/pipeline', { method: 'GET' })).status).toBe(405);
      const small = await startUpstashLocal({ token: TOKEN, redisUrl: REDIS_URL, maxBodyBytes: 64 });
      try {
        const res = await fetch(small.url, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(['SET', k('big'), 'x'.repeat(200)]),
        });
        expect(res.status).toBe(413);
        expect(await res.json()).toEqual({ error: expect.stringMatching(/exceeds the 64-byte limit/) });
      } finally {
        await small.close();
      }
    });

    it('sends an upstash-sync-token header the client can echo', async () => {
      const res = await raw('/', { body: JSON.stringify(['GET', k('sync')]) });
      expect(res.headers.get('upstash-sync-token')).toMatch(/^\d+$/);
    });

    it('counts requests and commands, over HTTP too', async () => {
      await raw('/', { body: JSON.stringify(['GET', k('c')]) });
      await raw('/pipeline', { body: JSON.stringify([['GET', k('c')], ['set', k('c'), 'v']]) });
      const stats = await raw('/_stats', { method: 'GET' });
      expect(stats.json).toEqual({
        requests: 2,
        requestsByEndpoint: { command: 1, pipeline: 1, multiExec: 0 },
        commands: 3,
        commandsByName: { GET: 2, SET: 1 },
        commandErrors: 0,
        unauthorized: 0,
        redisUnavailable: 0,
      });
      expect(server.stats()).toEqual(stats.json);
      expect((await raw('/_stats/reset')).json).toEqual({ result: 'OK' });
      expect(server.stats().commands).toBe(0);
    });
  });

  describe('SUBSCRIBE and PSUBSCRIBE event streams', () => {
    // NOTE: @upstash/redis logs "Stream reading error: AbortError" when unsubscribe() aborts its own stream (Node 20's
    // DOMException is not an Error there); keep the client's own noise out of the test output, nothing else.
    let consoleError: jest.SpiedFunction<typeof console.error>;
    const realError = console.error.bind(console);
    beforeAll(() => {
      consoleError = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
        if (typeof args[0] === 'string' && args[0].startsWith('Stream reading error')) return;
        realError(...args);
      });
    });
    afterAll(() => consoleError.mockRestore());
    /** The next event of one type (the Subscriber's listener types are keyed by literal event names). */
    const next = <T>(subscriber: object, type: string) =>
      new Promise<T>((resolve) => (subscriber as { on(type: string, listener: (data: T) => void): void }).on(type, resolve));

    it('delivers messages published through upstash-local to @upstash/redis subscribe()', async () => {
      const channel = k('news');
      const subscriber = redis.subscribe<{ title: string }>([channel]);
      try {
        expect(await next<number>(subscriber, 'subscribe')).toBe(1);
        const received = next<{ channel: string; message: { title: string } }>(subscriber, `message:${channel}`);
        expect(await redis.publish(channel, { title: 'hello, world' })).toBe(1);
        expect(await received).toEqual({ channel, message: { title: 'hello, world' } });
        const plain = next<{ message: unknown }>(subscriber, 'message');
        await redis.publish(channel, 'plain text');
        expect((await plain).message).toBe('plain text');
      } finally {
        await subscriber.unsubscribe();
      }
    });

    it('delivers pattern messages to psubscribe(), with the pattern and the channel', async () => {
      const pattern = k('events.*');
      const subscriber = redis.psubscribe<{ n: number }>([pattern]);
      try {
        expect(await next<number>(subscriber, 'psubscribe')).toBe(1);
        const received = next<{ pattern: string; channel: string; message: { n: number } }>(subscriber, 'pmessage');
        await redis.publish(k('events.created'), { n: 7 });
        expect(await received).toEqual({ pattern, channel: k('events.created'), message: { n: 7 } });
      } finally {
        await subscriber.unsubscribe();
      }
    });

    it('streams raw lines, one Redis connection per stream, closed when the client aborts', async () => {
      const channel = k('raw');
      const abort = new AbortController();
      const res = await fetch(`${server.url}/subscribe/${encodeURIComponent(channel)}`, {
        method: 'POST',
        body: '[]',
        headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' },
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) text += decoder.decode((await reader.read()).value, { stream: true });
      };
      await readUntil(`data: subscribe,${channel},1`);
      expect(await redis.publish(channel, 'a,b')).toBe(1);
      await readUntil(`data: message,${channel},a,b`);
      abort.abort();
      await reader.cancel().catch(() => undefined);
      // the stream's Redis connection goes away with it: nobody is subscribed any more
      let receivers = 1;
      for (let i = 0; i < 50 && receivers > 0; i++) {
        receivers = await redis.publish(channel, 'anyone?');
        if (receivers > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(receivers).toBe(0);
    });

    it('refuses a stream without the token', async () => {
      const res = await fetch(`${server.url}/subscribe/x`, { method: 'POST', body: '[]' });
      expect(res.status).toBe(401);
    });
  });

  describe('where Upstash answers differently from Redis 7', () => {
    it('answers COPY of a key onto itself with 0 (Redis refuses it)', async () => {
      await redis.set(k('copy-self'), 'v');
      expect(await redis.copy(k('copy-self'), k('copy-self'))).toBe('NOT_COPIED');
      expect(await redis.copy(k('copy-self'), k('copy-other'))).toBe('COPIED');
    });

    it('serves SCAN … WITHTYPE (keys with their types), also inside a pipeline', async () => {
      await redis.set(k('typed-string'), 'v');
      await redis.zadd(k('typed-zset'), { score: 1, member: 'm' });
      const found: { key: string; type: string }[] = [];
      let cursor = '0';
      do {
        // NOTE: a large COUNT keeps the walk short when other suites have filled the same Redis database.
        const [next, items] = await redis.scan(cursor, { match: `${prefix}typed-*`, count: 10_000, withType: true });
        cursor = next;
        found.push(...items);
      } while (cursor !== '0');
      expect(found.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
        { key: k('typed-string'), type: 'string' },
        { key: k('typed-zset'), type: 'zset' },
      ]);
      const p = redis.pipeline();
      p.get(k('typed-string'));
      // NOTE: one page from cursor 0 must cover the whole database, however many keys other suites left in it.
      p.scan('0', { match: k('typed-zset'), count: 1_000_000, withType: true });
      const [value, [, items]] = (await p.exec()) as [string, [string, { key: string; type: string }[]]];
      expect(value).toBe('v');
      expect(items).toEqual([{ key: k('typed-zset'), type: 'zset' }]);
    });

    it('runs scripts whose shebang carries Upstash-only flags (allow-key-locking, on every @upstash/ratelimit script) under the hash the client knows', async () => {
      const script = `#!lua flags=allow-key-locking,no-cluster\nreturn redis.call('INCRBY', KEYS[1], ARGV[1]) -- ${randomUUID()}`;
      const clientSha = createHash('sha1').update(script).digest('hex');
      expect(await redis.eval(script, [k('flagged')], [2])).toBe(2);
      server.resetStats();
      // NOTE: another Jest worker may SCRIPT FLUSH the shared Redis in between: then NOSCRIPT is the right answer.
      const bySha = await redis.evalsha(clientSha, [k('flagged')], [3]).catch((error: Error) => error.message);
      if (typeof bySha === 'string') expect(bySha).toContain('NOSCRIPT');
      else expect(bySha).toBe(5);
      expect(await redis.scriptLoad(script)).toBe(clientSha);
      expect(await redis.scriptExists(clientSha)).toEqual([1]);
      expect(await redis.createScript<number>(script).exec([k('flagged')], ['10'])).toBeGreaterThanOrEqual(12);
    });
  });


  describe('configuration', () => {
    it('refuses an empty token and a non-redis URL', async () => {
      await expect(startUpstashLocal({ token: '' })).rejects.toBeInstanceOf(UpstashLocalConfigError);
      await expect(startUpstashLocal({ token: 't', redisUrl: 'http://x' })).rejects.toThrow(/Invalid Redis URL/);
    });
  });
});

describe('upstash-local while Redis is unreachable', () => {
  it('answers 503 fast (no hang) and the client throws', async () => {
    const down = await startUpstashLocal({ token: TOKEN, redisUrl: 'redis://127.0.0.1:1' });
    try {
      const started = Date.now();
      const res = await fetch(down.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: '["GET","x"]',
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: expect.stringMatching(/^ERR Redis is unavailable at redis:\/\/127\.0\.0\.1:1/) });
      const pipe = await fetch(`${down.url}/pipeline`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
        body: '[["GET","x"]]',
      });
      expect(pipe.status).toBe(503);
      const client = new Redis({ url: down.url, token: TOKEN });
      await expect(client.get('x')).rejects.toThrow(/Redis is unavailable/);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(down.stats().redisUnavailable).toBe(3);
    } finally {
      await down.close();
    }
  });

  it('recovers when Redis comes back', async () => {
    const target = new URL(REDIS_URL);
    const proxy = await startProxy(0, target.hostname, Number(target.port || 6379));
    const server = await startUpstashLocal({ token: TOKEN, redisUrl: `redis://127.0.0.1:${proxy.port}` });
    const client = new Redis({ url: server.url, token: TOKEN, retry: false });
    const key = `upstash-local-test:${randomUUID()}:recover`;
    let restarted: Proxy | undefined;
    try {
      expect(await client.set(key, 'before', { ex: 60 })).toBe('OK');
      await proxy.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(client.get(key)).rejects.toThrow(/Redis is unavailable/);
      restarted = await startProxy(proxy.port, target.hostname, Number(target.port || 6379));
      const deadline = Date.now() + 5_000;
      let value: string | null | undefined;
      while (Date.now() < deadline) {
        try {
          value = await client.get<string>(key);
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      expect(value).toBe('before');
      await client.del(key);
    } finally {
      await server.close();
      await restarted?.close();
    }
  });
});

interface Proxy {
  port: number;
  close(): Promise<void>;
}

/** A TCP forwarder to Redis that the test can cut and restore. */
async function startProxy(port: number, targetHost: string, targetPort: number): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
