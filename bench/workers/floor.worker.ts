import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveBenchWorker } from '../lib/ipc.js';

/** What the floor server checks: the same audience, issuer, identity, queue and job as the app under test. */
export interface FloorWorkerBoot {
  certsUrl: string;
  audience: string;
  issuer: string;
  serviceAccount: string;
  queueName: string;
  jobName: string;
  /** Path prefix of the job route (`/api/jobs`). */
  basePath: string;
  maxBodyBytes: number;
}

interface Claims {
  iss?: unknown;
  aud?: unknown;
  exp?: unknown;
  email?: unknown;
  email_verified?: unknown;
}

type StoreRecord = { state: 'processing'; owner: number; at: number } | { state: 'done'; result: unknown; at: number };

const BEARER = /^Bearer (\S+)$/;
const OK_BODY = '{"success":true,"result":null}';

/**
 * The floor: a bare `node:http` server doing the least a correct job endpoint must do, with no framework. Per request:
 * the bearer token looked up in a cache of verified tokens (RS256-verified once against the served certs, then only
 * its claims checked: issuer, audience, expiry, identity), the queue header, the body read to its end (with a size
 * limit), `JSON.parse`, the envelope's job name and key, a claim and a complete in a Map (the memory store's work), a
 * no-op job, and a JSON answer. It is the physical limit the chain is held against, not a competitor: it has no
 * payload validation, no events, no dead letters.
 */
function floorServer(boot: FloorWorkerBoot, keys: Map<string, KeyObject>): Server {
  const tokens = new Map<string, Claims>();
  const records = new Map<string, StoreRecord>();
  const route = `${boot.basePath}/${boot.jobName}`;
  let owners = 0;

  const answer = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const verifyToken = (token: string): Claims | undefined => {
    const [header, payload, signature] = token.split('.');
    if (!signature) return undefined;
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid?: string };
    const key = kid ? keys.get(kid) : undefined;
    if (!key || !verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) return undefined;
    return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Claims;
  };
  const authorized = (req: IncomingMessage): boolean => {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return false;
    let claims = tokens.get(token);
    if (!claims) {
      claims = verifyToken(token);
      if (!claims) return false;
      tokens.set(token, claims);
    }
    return claims.iss === boot.issuer && claims.aud === boot.audience && typeof claims.exp === 'number' && claims.exp > Date.now() / 1000 && claims.email === boot.serviceAccount && claims.email_verified === true;
  };
  const handle = (res: ServerResponse, raw: Buffer) => {
    let envelope: { jobName?: unknown; idempotencyKey?: unknown; data?: unknown };
    try {
      envelope = JSON.parse(raw.toString('utf8')) as typeof envelope;
    } catch {
      return answer(res, 202, '{"success":false,"dead":true,"error":"Body is not valid JSON"}');
    }
    const key = envelope.idempotencyKey;
    if (envelope.jobName !== boot.jobName || typeof key !== 'string') return answer(res, 202, '{"success":false,"dead":true,"error":"Invalid envelope"}');
    const existing = records.get(key);
    if (existing) return existing.state === 'done' ? answer(res, 200, '{"success":true,"duplicate":true,"result":null}') : answer(res, 409, '{"error":"busy","retryable":true}');
    records.set(key, { state: 'processing', owner: ++owners, at: Date.now() });
    records.set(key, { state: 'done', result: null, at: Date.now() });
    answer(res, 200, OK_BODY);
  };

  return createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== route) return answer(res, 404, '{"error":"not found"}');
    if (!authorized(req)) return answer(res, 401, '{"error":"unauthorized","retryable":true}');
    if (req.headers['x-cloudtasks-queuename'] !== boot.queueName) return answer(res, 400, '{"error":"wrong queue","retryable":true}');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > boot.maxBodyBytes) {
        answer(res, 413, '{"error":"too large","retryable":true}');
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => handle(res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
  });
}

let server: Server | undefined;

serveBenchWorker(
  {
    boot: async (boot: FloorWorkerBoot): Promise<{ url: string }> => {
      const certs = (await (await fetch(boot.certsUrl)).json()) as Record<string, string>;
      const keys = new Map(Object.entries(certs).map(([kid, pem]) => [kid, createPublicKey(pem)]));
      server = floorServer(boot, keys);
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    },
  },
  async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  },
);
