import http from 'node:http';
import type { AttemptLog } from '../attempts/attempt.log.js';
import { CERTS_MAX_AGE_S } from '../emulator.constants.js';
import type { OidcTokenIssuer } from '../oidc/oidc-token.issuer.js';

/** Paths served on the emulator's HTTP port. */
export const AdminPaths = {
  certs: '/certs',
  jwks: '/jwks',
  healthz: '/healthz',
  attempts: '/attempts',
} as const;

/**
 * The emulator's HTTP side: its token-signing certificates (Google's v1 PEM map and v3 JWK set formats), a health
 * check and the attempt log.
 */
export function createAdminServer(issuer: OidcTokenIssuer, attempts: AttemptLog): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: `${req.method} not allowed` });
    switch (url.pathname) {
      case AdminPaths.certs:
        return send(res, 200, issuer.pemCertificates(), { 'Cache-Control': `public, max-age=${CERTS_MAX_AGE_S}, must-revalidate, no-transform` });
      case AdminPaths.jwks:
        return send(res, 200, issuer.jwks(), { 'Cache-Control': `public, max-age=${CERTS_MAX_AGE_S}, must-revalidate, no-transform` });
      case AdminPaths.healthz:
        return send(res, 200, { status: 'ok' });
      case AdminPaths.attempts: {
        const task = url.searchParams.get('task');
        const queue = url.searchParams.get('queue');
        return send(res, 200, task ? attempts.forTask(task) : queue ? attempts.forQueue(queue) : attempts.all());
      }
      default:
        return send(res, 404, { error: `No route for ${url.pathname}: try ${Object.values(AdminPaths).join(', ')}` });
    }
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(json), ...headers });
  res.end(json);
}
