import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Claims of a Cloud Tasks OIDC token. */
export interface IdTokenClaims {
  iss: string;
  aud: string;
  email: string;
  email_verified: boolean;
  sub?: string;
  azp?: string;
  iat?: number;
  exp?: number;
}

/**
 * A local OIDC issuer for the handler benchmark: an RSA key, its public key served at `/certs` in the PEM-map format of
 * Google's v1 certs (with a max-age, as Google sends, so the guard caches them), and RS256 tokens signed with it.
 * The guard verifies these tokens with exactly the code path it uses for Google's.
 */
export class LocalOidcIssuer {
  private constructor(
    private readonly server: Server,
    private readonly privateKeyPem: string,
    readonly kid: string,
    readonly certsUrl: string,
  ) {}

  static async start(): Promise<LocalOidcIssuer> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomBytes(20).toString('hex');
    const certs = JSON.stringify({ [kid]: publicKey.export({ type: 'spki', format: 'pem' }) });
    const server = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.startsWith('/certs')) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=3600' });
        res.end(certs);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new LocalOidcIssuer(server, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, kid, `http://127.0.0.1:${port}/certs`);
  }

  /** An RS256 JWT with these claims (`iat`/`exp` default to now / now + 1 h). */
  sign(claims: IdTokenClaims): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.kid };
    const payload = { sub: claims.email, azp: claims.email, iat: now, exp: now + 3600, ...claims };
    const input = `${b64(header)}.${b64(payload)}`;
    const signature = createSign('RSA-SHA256').update(input).sign(this.privateKeyPem).toString('base64url');
    return `${input}.${signature}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
