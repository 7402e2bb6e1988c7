import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultKeyFile, loadOrCreateSigningKey } from './signing-key.store.js';

const der = (k: { publicKey: { export(o: object): Buffer | string } }) => k.publicKey.export({ type: 'spki', format: 'der' });

describe('signing key file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'emulator-key-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates the file once (owner-only) and reads the same key and certificate back', async () => {
    const file = path.join(dir, 'nested', 'key.pem');
    const first = await loadOrCreateSigningKey(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateSigningKey(file);
    expect(der(again)).toEqual(der(first));
    expect(again.certificatePem).toBe(first.certificatePem);
  });

  it('gives emulators starting at the same time one key', async () => {
    const file = path.join(dir, 'key.pem');
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateSigningKey(file)));
    for (const key of keys) expect(der(key)).toEqual(der(keys[0]));
  });

  it('renews a certificate about to expire, for the same key', async () => {
    const file = path.join(dir, 'key.pem');
    const created = Date.now() - 10 * 365 * 24 * 3_600_000;
    const old = await loadOrCreateSigningKey(file, created);
    const renewed = await loadOrCreateSigningKey(file);
    expect(der(renewed)).toEqual(der(old));
    expect(Date.parse(new X509Certificate(renewed.certificatePem).validTo)).toBeGreaterThan(Date.now() + 365 * 24 * 3_600_000);
  });

  it('names the file and the fix when it holds something else', async () => {
    const file = path.join(dir, 'key.pem');
    await writeFile(file, 'not a key');
    await expect(loadOrCreateSigningKey(file)).rejects.toThrow(`Signing key file ${file} must hold a PKCS#8 private key PEM and its certificate PEM: delete it`);
  });

  it('defaults to the data directory, else the user cache directory', () => {
    expect(defaultKeyFile('/data')).toBe('/data/signing-key.pem');
    expect(defaultKeyFile()).toMatch(/cloud-tasks-emulator\/signing-key\.pem$/);
  });
});
