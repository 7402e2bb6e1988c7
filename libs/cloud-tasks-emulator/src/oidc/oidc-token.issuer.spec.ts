import { X509Certificate, createVerify } from 'node:crypto';
import { OidcTokenIssuer, numericSubject } from './oidc-token.issuer.js';

const decode = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

describe('OidcTokenIssuer', () => {
  let now = Date.parse('2030-06-01T00:00:00Z');
  let issuer: OidcTokenIssuer;

  beforeAll(async () => {
    issuer = await OidcTokenIssuer.create({ wallClock: () => now });
  });

  it('publishes a parseable self-signed certificate whose key verifies its tokens', () => {
    const [kid, pem] = Object.entries(issuer.pemCertificates())[0];
    expect(kid).toBe(issuer.kid);
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----\n$/);
    const cert = new X509Certificate(pem);
    expect(cert.subject).toBe('CN=cloud-tasks-emulator');
    expect(cert.verify(cert.publicKey)).toBe(true);

    const token = issuer.idToken('sa@p.iam.gserviceaccount.com', 'https://svc.example');
    const [h, p, s] = token.split('.');
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${h}.${p}`);
    expect(verifier.verify(pem, s, 'base64url')).toBe(true);
  });

  it('mints Google-shaped claims on the real clock', () => {
    const token = issuer.idToken('sa@p.iam.gserviceaccount.com', 'https://svc.example');
    const [h, p] = token.split('.');
    expect(decode(h)).toEqual({ alg: 'RS256', kid: issuer.kid, typ: 'JWT' });
    const id = numericSubject('sa@p.iam.gserviceaccount.com');
    expect(id).toMatch(/^1\d{20}$/);
    expect(decode(p)).toEqual({
      aud: 'https://svc.example',
      azp: id,
      email: 'sa@p.iam.gserviceaccount.com',
      email_verified: true,
      exp: now / 1000 + 3600,
      iat: now / 1000,
      iss: 'https://accounts.google.com',
      sub: id,
    });
  });

  it('reuses a token until 5 minutes before it expires', () => {
    const first = issuer.idToken('a@x', 'aud');
    now += 3_000_000; // 50 min later: 10 min left
    expect(issuer.idToken('a@x', 'aud')).toBe(first);
    expect(issuer.idToken('a@x', 'other-aud')).not.toBe(first);
    now += 400_000; // under 5 min left
    expect(issuer.idToken('a@x', 'aud')).not.toBe(first);
  });

  it('signs custom claims, filling iat/exp unless told not to', () => {
    const payload = decode(issuer.signToken({ aud: 'x', email: 'e' }, { expiresInSeconds: 60 }).split('.')[1]);
    expect(payload.exp).toBe((payload.iat as number) + 60);
    const bare = decode(issuer.signToken({ aud: 'x' }, { fillTimes: false, header: { kid: 'other' } }).split('.')[0]);
    expect(bare.kid).toBe('other');
  });

  it('publishes the same key as a JWK set', () => {
    const { keys } = issuer.jwks();
    expect(keys[0]).toMatchObject({ kty: 'RSA', kid: issuer.kid, alg: 'RS256', use: 'sig', e: 'AQAB' });
  });
});
