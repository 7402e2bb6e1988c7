import type http from 'node:http';
import type { AttemptLog } from '../attempts/attempt.log.js';
import { CERTS_MAX_AGE_S } from '../emulator.constants.js';
import type { OidcTokenIssuer } from '../oidc/oidc-token.issuer.js';
import type { VirtualClock } from '../time/virtual.clock.js';

/** Paths served over HTTP/1.1, on the gRPC port and on the optional extra HTTP port. */
export const HttpPaths = {
  certs: '/certs',
  jwks: '/jwks',
  openidConfiguration: '/.well-known/openid-configuration',
  healthz: '/healthz',
  attempts: '/attempts',
  clock: '/clock',
  reset: '/reset',
} as const;

/** Another set of routes (the REST API, admin calls): answers and returns true, or returns false to pass. */
export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean;

export interface HttpHandlerDeps {
  issuer: OidcTokenIssuer;
  attempts: AttemptLog;
  clock: VirtualClock;
  /** Tried in order before the built-in read-only routes. */
  routes?: RouteHandler[];
}

const CERTS_CACHE = `public, max-age=${CERTS_MAX_AGE_S}, must-revalidate, no-transform`;

/**
 * The emulator's HTTP side: its token-signing keys (Google's v1 PEM map, a JWK set and the OpenID discovery document
 * pointing at it), a health check, the attempt log, the emulator clock, then whatever `routes` serve.
 */
export function createHttpHandler({ issuer, attempts, clock, routes = [] }: HttpHandlerDeps): http.RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    for (const route of routes) if (route(req, res, url)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: `${req.method} ${url.pathname} is not served: try GET` });
    switch (url.pathname) {
      case HttpPaths.certs:
        return sendJson(res, 200, issuer.pemCertificates(), { 'Cache-Control': CERTS_CACHE });
      case HttpPaths.jwks:
        return sendJson(res, 200, issuer.jwks(), { 'Cache-Control': CERTS_CACHE });
      case HttpPaths.openidConfiguration:
        return sendJson(res, 200, issuer.discoveryDocument(`http://${req.headers.host ?? 'localhost'}${HttpPaths.jwks}`), { 'Cache-Control': CERTS_CACHE });
      case HttpPaths.healthz:
        return sendJson(res, 200, { status: 'ok' });
      case HttpPaths.clock:
        return sendJson(res, 200, { now: Math.floor(clock.now()), timeScale: clock.timeScale }, { 'Cache-Control': 'no-store' });
      case HttpPaths.attempts: {
        const task = url.searchParams.get('task');
        const queue = url.searchParams.get('queue');
        const job = url.searchParams.get('job');
        return sendJson(res, 200, task ? attempts.forTask(task) : queue ? attempts.forQueue(queue) : job ? attempts.forJob(job) : attempts.all());
      }
      default:
        return sendJson(res, 404, { error: `No route for ${url.pathname}: try ${Object.values(HttpPaths).join(', ')} or the REST API under /v2/` });
    }
  };
}

/** `POST /reset` (`?keepQueues=true` to keep the queues, `?keepJobs=true` the scheduler jobs): see `CloudTasksEmulator.reset()`. */
export function resetRoute(reset: (options: { keepQueues: boolean; keepJobs: boolean }) => void): RouteHandler {
  return (req, res, url) => {
    if (url.pathname !== HttpPaths.reset) return false;
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'POST /reset (optionally ?keepQueues=true, ?keepJobs=true) clears tasks, jobs, names and attempts.' });
      return true;
    }
    const keepQueues = url.searchParams.get('keepQueues') === 'true';
    const keepJobs = url.searchParams.get('keepJobs') === 'true';
    reset({ keepQueues, keepJobs });
    sendJson(res, 200, { reset: true, keepQueues, keepJobs });
    return true;
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(json), ...headers });
  res.end(json);
}

/** Reads a request body (small: admin and REST calls), refusing more than `limit` bytes. */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`Request body over ${limit} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
