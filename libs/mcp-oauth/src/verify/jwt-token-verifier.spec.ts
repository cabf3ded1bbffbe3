import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LocalIssuer } from '../testing/local-issuer.js';
import { InvalidTokenError } from '../errors/failures.js';
import { JwtTokenVerifier } from './jwt-token-verifier.js';
import { RemoteSigningKeys } from './remote-signing-keys.js';

const RESOURCE = 'https://mcp.example.com/mcp';

describe('JwtTokenVerifier against a real JWKS over HTTP', () => {
  let issuer: LocalIssuer;
  let verifier: JwtTokenVerifier;

  beforeAll(async () => {
    issuer = await LocalIssuer.start({ scalekitResourceId: 'res_1' });
    const keys = new RemoteSigningKeys(issuer.jwksUri, { cooldownMs: 30_000, maxAgeMs: 600_000, timeoutMs: 2000 });
    verifier = new JwtTokenVerifier(keys.getKey, {
      issuers: [issuer.url, issuer.issuer],
      audiences: [RESOURCE, 'res_1'],
      algorithms: ['RS256'],
      clockToleranceSeconds: 30,
    });
  });
  afterAll(() => issuer.stop());

  it('returns AuthInfo for a valid token, without the raw token', async () => {
    const token = issuer.mintToken({
      audience: [RESOURCE, 'res_1'],
      scopes: ['todo:read'],
      subject: 'alice',
      clientId: 'c1',
    });
    const auth = await verifier.verify(token);
    expect(auth).toMatchObject({ subject: 'alice', clientId: 'c1', scopes: ['todo:read'], issuer: issuer.issuer });
    expect(auth.audience).toEqual([RESOURCE, 'res_1']);
    expect(JSON.stringify(auth)).not.toContain(token.split('.')[2]);
  });

  it('accepts both Scalekit issuers and the resource id as audience', async () => {
    await expect(verifier.verify(issuer.mintToken({ audience: 'res_1', issuer: issuer.url }))).resolves.toMatchObject({
      issuer: issuer.url,
    });
  });

  const rejected: Array<[string, () => string, string]> = [
    ['expired beyond tolerance', () => issuer.mintToken({ audience: RESOURCE, expiresIn: -120 }), 'expired'],
    ['nbf in the future', () => issuer.mintToken({ audience: RESOURCE, notBefore: 120 }), 'not_yet_valid'],
    ['iat in the future', () => issuer.mintToken({ audience: RESOURCE, issuedAt: 120 }), 'issued_in_future'],
    ['no exp', () => issuer.mintToken({ audience: RESOURCE, claims: { exp: undefined } }), 'missing_exp'],
    ['no sub', () => issuer.mintToken({ audience: RESOURCE, claims: { sub: undefined } }), 'missing_sub'],
    ['wrong audience', () => issuer.mintToken({ audience: 'https://other.example.com/mcp' }), 'audience'],
    ['audience with trailing slash', () => issuer.mintToken({ audience: `${RESOURCE}/` }), 'audience'],
    ['wrong issuer', () => issuer.mintToken({ audience: RESOURCE, issuer: 'https://evil.example.com' }), 'issuer'],
    ['issuer with trailing slash', () => issuer.mintToken({ audience: RESOURCE, issuer: `${issuer.url}/` }), 'issuer'],
    ['unknown kid', () => issuer.mintToken({ audience: RESOURCE, header: { kid: 'nope' } }), 'unknown_key'],
    [
      'alg none',
      () =>
        issuer.mintToken({ audience: RESOURCE }).replace(/^[^.]+/, Buffer.from('{"alg":"none"}').toString('base64url')),
      'algorithm',
    ],
    [
      'tampered payload',
      () => {
        const [header, , signature] = issuer.mintToken({ audience: RESOURCE }).split('.');
        const payload = Buffer.from(
          JSON.stringify({ sub: 'mallory', aud: RESOURCE, iss: issuer.issuer, exp: 9e9 }),
        ).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
      'signature',
    ],
    ['garbage', () => 'not.a.jwt', 'malformed'],
  ];

  it.each(rejected)('rejects a token: %s', async (_name, makeToken, reason) => {
    const failure = await verifier.verify(makeToken()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidTokenError);
    expect((failure as InvalidTokenError).reason).toBe(reason);
  });

  it('tolerates clock skew within the tolerance', async () => {
    await expect(verifier.verify(issuer.mintToken({ audience: RESOURCE, expiresIn: -10 }))).resolves.toBeDefined();
  });
});

describe('JwtTokenVerifier: the algorithm allow-list with keys published without `alg`', () => {
  // Regression: keys that name their `alg` make jose refuse other algorithms before the allow-list matters. An
  // authorization server may publish keys without `alg` (RFC 7517 §4.4): then the allow-list is the only defence.
  let issuer: LocalIssuer;
  let keys: RemoteSigningKeys;
  const verifierAllowing = (algorithms: string[]) =>
    new JwtTokenVerifier(keys.getKey, {
      issuers: [issuer.issuer],
      audiences: [RESOURCE],
      algorithms,
      clockToleranceSeconds: 0,
    });

  beforeAll(async () => {
    issuer = await LocalIssuer.start({ publishAlgorithm: false });
    keys = new RemoteSigningKeys(issuer.jwksUri, { cooldownMs: 30_000, maxAgeMs: 600_000, timeoutMs: 2000 });
  });
  afterAll(() => issuer.stop());

  it('publishes its RSA key without alg', () => {
    expect(issuer.jwks().keys).toEqual([expect.not.objectContaining({ alg: expect.anything() })]);
  });

  it('refuses a token signed PS256 by the RSA key when only RS256 is allowed', async () => {
    const ps256 = issuer.mintToken({ audience: RESOURCE, header: { alg: 'PS256' } });
    await expect(verifierAllowing(['RS256']).verify(ps256)).rejects.toMatchObject({ reason: 'algorithm' });
    // The token itself is valid PS256: only the allow-list stands in its way.
    await expect(verifierAllowing(['RS256', 'PS256']).verify(ps256)).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('still accepts RS256 tokens from that key', async () => {
    await expect(verifierAllowing(['RS256']).verify(issuer.mintToken({ audience: RESOURCE }))).resolves.toMatchObject({
      subject: 'user-1',
    });
  });
});
