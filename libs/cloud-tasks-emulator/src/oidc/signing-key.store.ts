import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildSelfSignedCertificate } from './x509-certificate.builder.js';

/** The emulator's token-signing key and the self-signed certificate that publishes it. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  certificatePem: string;
}

const generateKeyPairAsync = promisify(generateKeyPair);
const DAY_MS = 24 * 3_600_000;
const CERT_LIFETIME_MS = 10 * 365 * DAY_MS;
const KEY_FILE_NAME = 'signing-key.pem';

/**
 * Where the key lives when no path is given: `{dataDir}/signing-key.pem` with a data directory, else
 * `$XDG_CACHE_HOME/cloud-tasks-emulator/signing-key.pem` (`~/.cache/…`). Every emulator of a user shares it, so an
 * app that cached the certificates keeps accepting tokens across emulator restarts.
 */
export function defaultKeyFile(dataDir?: string): string {
  if (dataDir) return path.join(dataDir, KEY_FILE_NAME);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir() || os.tmpdir(), '.cache');
  return path.join(cache, 'cloud-tasks-emulator', KEY_FILE_NAME);
}

/** A new RSA-2048 key with a fresh certificate, kept in memory only. */
export async function generateSigningKey(now = Date.now()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey, certificatePem: certificateFor(privateKey, publicKey, now) };
}

/**
 * Reads the key (PKCS#8 PEM followed by its certificate PEM) from `file`, or creates the file when it does not exist.
 * Creation is atomic (written aside, then hard-linked into place), so emulators starting together agree on one key.
 * A certificate within a day of expiry is renewed for the same key.
 */
export async function loadOrCreateSigningKey(file: string, now = Date.now()): Promise<SigningKey> {
  const existing = await readKeyFile(file);
  if (existing) return renewIfExpiring(file, existing, now);
  const key = await generateSigningKey(now);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(aside, serialise(key), { mode: 0o600 });
  try {
    await link(aside, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKeyFile(file);
    if (!winner) throw new Error(`Signing key file ${file} appeared but holds no key and certificate.`, { cause: error });
    return winner;
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

async function readKeyFile(file: string): Promise<SigningKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n?/.exec(text)?.[0];
  const certificatePem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(text)?.[0];
  if (!keyPem || !certificatePem) {
    throw new Error(`Signing key file ${file} must hold a PKCS#8 private key PEM and its certificate PEM: delete it to let the emulator make a new one.`);
  }
  const privateKey = createPrivateKey(keyPem);
  return { privateKey, publicKey: createPublicKey(privateKey), certificatePem: certificatePem.endsWith('\n') ? certificatePem : `${certificatePem}\n` };
}

async function renewIfExpiring(file: string, key: SigningKey, now: number): Promise<SigningKey> {
  if (Date.parse(new X509Certificate(key.certificatePem).validTo) - now > DAY_MS) return key;
  const renewed = { ...key, certificatePem: certificateFor(key.privateKey, key.publicKey, now) };
  await writeFile(file, serialise(renewed), { mode: 0o600 });
  return renewed;
}

function certificateFor(privateKey: KeyObject, publicKey: KeyObject, now: number): string {
  return buildSelfSignedCertificate({
    privateKey,
    publicKey,
    commonName: 'cloud-tasks-emulator',
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + CERT_LIFETIME_MS),
  });
}

function serialise(key: SigningKey): string {
  return `${key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()}${key.certificatePem}`;
}
