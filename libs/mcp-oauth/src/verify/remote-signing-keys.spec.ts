import { afterEach, describe, expect, it } from '@jest/globals';
import { AuthorizationServerUnavailableError, InvalidTokenError } from '../errors/failures.js';
import { LocalIssuer } from '../testing/local-issuer.js';
import { JwtTokenVerifier } from './jwt-token-verifier.js';
import { RemoteSigningKeys, type RemoteSigningKeysOptions } from './remote-signing-keys.js';

const RESOURCE = 'https://mcp.example.com/mcp';
let issuer: LocalIssuer;

async function setUp(options: Partial<RemoteSigningKeysOptions> = {}) {
  issuer = await LocalIssuer.start();
  const keys = new RemoteSigningKeys(issuer.jwksUri, {
    cooldownMs: 30_000,
    maxAgeMs: 600_000,
    timeoutMs: 1000,
    retryAfterFailureMs: 50,
    ...options,
  });
  const verifier = new JwtTokenVerifier(keys.getKey, {
    issuers: [issuer.issuer],
    audiences: [RESOURCE],
    algorithms: ['RS256'],
    clockToleranceSeconds: 0,
  });
  const token = () => issuer.mintToken({ audience: RESOURCE });
  return { keys, verifier, token };
}

afterEach(() => issuer.stop());

describe('RemoteSigningKeys', () => {
  it('fetches lazily, once, and shares the fetch among concurrent first requests', async () => {
    const { verifier, token } = await setUp();
    expect(issuer.jwksRequests).toBe(0);
    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token())));
    await verifier.verify(token());
    expect(issuer.jwksRequests).toBe(1);
  });

  it('accepts a rotated key on the first request that uses it (one refetch), old key removed', async () => {
    const { verifier, token } = await setUp({ cooldownMs: 0 });
    await verifier.verify(token());
    issuer.rotateKeys({ keepPrevious: false });
    await expect(verifier.verify(token())).resolves.toMatchObject({ subject: 'user-1' });
    expect(issuer.jwksRequests).toBe(2);
  });

  it('refetches at most once per cooldown window under a flood of unknown kids', async () => {
    const { verifier, token } = await setUp({ cooldownMs: 60_000 });
    await verifier.verify(token());
    const flood = Array.from({ length: 200 }, (_, index) =>
      verifier
        .verify(issuer.mintToken({ audience: RESOURCE, header: { kid: `made-up-${index}` } }))
        .catch((error: unknown) => error),
    );
    const results = await Promise.all(flood);
    expect(results.every((result) => result instanceof InvalidTokenError)).toBe(true);
    expect(issuer.jwksRequests).toBeLessThanOrEqual(2);
  });

  it('refetches at most once per cooldown window for unknown kids sent one after another', async () => {
    // Regression: a flood sent at once shares one refetch whatever the cooldown; a series does not.
    const { verifier, token } = await setUp({ cooldownMs: 60_000 });
    await verifier.verify(token());
    for (let index = 0; index < 20; index += 1) {
      const unknownKid = issuer.mintToken({ audience: RESOURCE, header: { kid: `made-up-${index}` } });
      await expect(verifier.verify(unknownKid)).rejects.toMatchObject({ reason: 'unknown_key' });
    }
    expect(issuer.jwksRequests).toBe(2);
  });

  it('after the cooldown, the next unknown kid may refetch again (once)', async () => {
    const { verifier, token } = await setUp({ cooldownMs: 200 });
    await verifier.verify(token());
    await expect(verifier.verify(issuer.mintToken({ audience: RESOURCE, header: { kid: 'a' } }))).rejects.toThrow();
    await expect(verifier.verify(issuer.mintToken({ audience: RESOURCE, header: { kid: 'b' } }))).rejects.toThrow();
    expect(issuer.jwksRequests).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await expect(verifier.verify(issuer.mintToken({ audience: RESOURCE, header: { kid: 'c' } }))).rejects.toThrow();
    await expect(verifier.verify(issuer.mintToken({ audience: RESOURCE, header: { kid: 'd' } }))).rejects.toThrow();
    expect(issuer.jwksRequests).toBe(3);
  });

  it('keeps serving valid tokens from cached keys while the authorization server is down', async () => {
    const { verifier, token } = await setUp({ cooldownMs: 0, maxAgeMs: 1 });
    await verifier.verify(token());
    await issuer.goOffline();
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(verifier.verify(token())).resolves.toMatchObject({ subject: 'user-1' });
    }
  });

  it('answers 503 (never 401) with nothing cached and the server down, and recovers when it is back', async () => {
    const { verifier, token } = await setUp({ cooldownMs: 0 });
    await issuer.goOffline();
    const failure = await verifier.verify(token()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthorizationServerUnavailableError);
    expect((failure as AuthorizationServerUnavailableError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await issuer.goOnline();
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(verifier.verify(token())).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('answers 503 when the JWKS endpoint fails (HTTP 503) and nothing is cached', async () => {
    const { verifier, token } = await setUp({ cooldownMs: 0 });
    issuer.setStatus('failing');
    await expect(verifier.verify(token())).rejects.toBeInstanceOf(AuthorizationServerUnavailableError);
    issuer.setStatus('online');
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(verifier.verify(token())).resolves.toBeDefined();
  });

  it('answers 503 for a new kid when the server is down after a rotation', async () => {
    const { verifier, token } = await setUp({ cooldownMs: 0 });
    await verifier.verify(token());
    issuer.rotateKeys({ keepPrevious: false });
    issuer.setStatus('failing');
    await expect(verifier.verify(token())).rejects.toBeInstanceOf(AuthorizationServerUnavailableError);
  });
});

describe('RemoteSigningKeys under concurrency and failures', () => {
  it('several requests first using a rotated key at once all wait for the one refetch and pass', async () => {
    const { verifier, token } = await setUp({ cooldownMs: 60_000 });
    await verifier.verify(token());
    issuer.rotateKeys({ keepPrevious: false });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        verifier.verify(token()).then(
          () => 'ok',
          (error: unknown) => error,
        ),
      ),
    );
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(issuer.jwksRequests).toBe(2);
  });

  it('after a failed refetch, a new kid stays 503 (never 401) and is accepted once the server is back', async () => {
    const { verifier, token } = await setUp({ cooldownMs: 60_000 });
    await verifier.verify(token());
    issuer.rotateKeys({ keepPrevious: false });
    issuer.setStatus('failing');
    await expect(verifier.verify(token())).rejects.toBeInstanceOf(AuthorizationServerUnavailableError);
    await expect(verifier.verify(token())).rejects.toBeInstanceOf(AuthorizationServerUnavailableError);
    issuer.setStatus('online');
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(verifier.verify(token())).resolves.toMatchObject({ subject: 'user-1' });
  });
});
