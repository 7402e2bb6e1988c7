import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CertsCachePolicy, SigningCerts } from './signing-certs.js';

/** A PEM the verifier can read (a public key is enough for createPublicKey). */
function publicPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

describe('SigningCerts', () => {
  let server: Server;
  let url: string;
  let answer: { status: number; body: unknown; cacheControl?: string };
  let hits = 0;
  let now = 1_000_000;
  const clock = () => now;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (answer.cacheControl) headers['cache-control'] = answer.cacheControl;
      res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    hits = 0;
    now = 1_000_000;
  });

  it('keeps a set for its max-age, or a sane default without one', async () => {
    answer = { status: 200, body: { a: publicPem() }, cacheControl: 'public, max-age=20' };
    const withMaxAge = new SigningCerts(url, clock);
    await withMaxAge.get();
    now += 19_000;
    await withMaxAge.get();
    expect(hits).toBe(1);
    now += 2_000;
    await withMaxAge.get();
    expect(hits).toBe(2);

    answer = { status: 200, body: { a: publicPem() } };
    const without = new SigningCerts(url, clock);
    await without.get();
    now += CertsCachePolicy.defaultMaxAgeMs - 1;
    await without.get();
    expect(hits).toBe(3);
    now += 2;
    await without.get();
    expect(hits).toBe(4);
  });

  it('backs off after failures (doubling), and serves the last good set meanwhile', async () => {
    answer = { status: 200, body: { a: publicPem() }, cacheControl: 'max-age=1' };
    const certs = new SigningCerts(url, clock);
    const good = await certs.get();
    answer = { status: 500, body: {} };
    now += 2_000;
    expect(await certs.get()).toBe(good);
    expect(hits).toBe(2);
    for (let i = 0; i < 20; i++) expect(await certs.get()).toBe(good);
    expect(hits).toBe(2);
    now += CertsCachePolicy.firstBackoffMs;
    await certs.get();
    expect(hits).toBe(3);
    now += CertsCachePolicy.firstBackoffMs;
    await certs.get();
    expect(hits).toBe(3);
    now += CertsCachePolicy.firstBackoffMs;
    await certs.get();
    expect(hits).toBe(4);
  });

  it('without any good set, a failure is a 503 rejection, and the next attempt waits for the backoff', async () => {
    answer = { status: 404, body: {} };
    const certs = new SigningCerts(url, clock);
    await expect(certs.get()).rejects.toMatchObject({ status: 503, message: 'Signing certificates could not be fetched; retry later' });
    await expect(certs.get()).rejects.toMatchObject({ status: 503 });
    expect(hits).toBe(1);
  });

  it('refreshes for an unknown key id at once, then at most once per interval', async () => {
    answer = { status: 200, body: { a: publicPem() }, cacheControl: 'max-age=3600' };
    const certs = new SigningCerts(url, clock);
    await certs.get();
    answer = { status: 200, body: { a: publicPem(), b: publicPem() }, cacheControl: 'max-age=3600' };
    expect((await certs.withKey('b')).keys.has('b')).toBe(true);
    expect(hits).toBe(2);
    await certs.withKey('unknown');
    await certs.withKey('unknown-too');
    expect(hits).toBe(2);
    now += CertsCachePolicy.unknownKidRefreshMs;
    await certs.withKey('unknown');
    expect(hits).toBe(3);
  });

  it('skips unreadable certificates instead of failing the whole set; a set with none usable is a failure', async () => {
    answer = { status: 200, body: { broken: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----', b: publicPem(), n: 42 } };
    const set = await new SigningCerts(url, clock).get();
    expect([...set.keys.keys()]).toEqual(['b']);
    answer = { status: 200, body: { broken: 'nope' } };
    await expect(new SigningCerts(url, clock).get()).rejects.toMatchObject({ status: 503 });
  });
});
