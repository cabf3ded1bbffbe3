import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AuthInfo } from '../auth/auth-info.js';
import { authInfoFromClaims } from '../auth/claims-to-auth-info.js';
import { AuthorizationServerUnavailableError, InvalidTokenError } from '../errors/failures.js';
import { LocalIssuer } from '../testing/local-issuer.js';
import { JwtTokenVerifier } from './jwt-token-verifier.js';
import { RemoteSigningKeys } from './remote-signing-keys.js';
import type { TokenVerifier } from './token-verifier.js';
import { VerifiedTokenCache, verifiedTokenCacheKey } from './verified-token-cache.js';

const T0 = 1_700_000_000_000;
/** The module's default limits. */
const LIMITS = { maxEntries: 10_000, maxTtlSeconds: 60 };

/** A fake clock in milliseconds. */
function clock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/**
 * A fake verifier: a token `sub:<name>:exp:<seconds>` is valid (AuthInfo with that exp), `bad...` is invalid,
 * `down...` means the authorization server is unreachable. Counts calls per token.
 */
function fakeVerifier() {
  const calls = new Map<string, number>();
  const verifier: TokenVerifier = {
    async verify(token: string): Promise<AuthInfo> {
      calls.set(token, (calls.get(token) ?? 0) + 1);
      await new Promise((resolve) => setImmediate(resolve));
      if (token.startsWith('bad')) throw new InvalidTokenError('signature', 'The access token signature is invalid.');
      if (token.startsWith('down')) throw new AuthorizationServerUnavailableError(30);
      const [, subject, , exp] = token.split(':');
      return authInfoFromClaims({
        sub: subject,
        exp: Number(exp),
        iss: 'https://as.example.com',
        aud: ['r'],
        scopes: ['a'],
      });
    },
  };
  return { verifier, calls: (token: string) => calls.get(token) ?? 0 };
}

/** A fake token valid until `expSeconds` (epoch seconds). */
const token = (subject: string, expSeconds = T0 / 1000 + 3600) => `sub:${subject}:exp:${expSeconds}`;

describe('VerifiedTokenCache', () => {
  it('hit: the second verification of a token is answered from the cache with the same AuthInfo', async () => {
    const { verifier, calls } = fakeVerifier();
    const time = clock();
    const cache = new VerifiedTokenCache(verifier, { ...LIMITS, now: time.now });
    const first = await cache.verify(token('alice'));
    time.advance(1000);
    const second = await cache.verify(token('alice'));
    expect(second).toBe(first);
    expect(second.subject).toBe('alice');
    expect(calls(token('alice'))).toBe(1);
    expect({ hits: cache.hits, misses: cache.misses, size: cache.size }).toEqual({ hits: 1, misses: 1, size: 1 });
  });

  it('miss: different tokens are each verified', async () => {
    const { verifier, calls } = fakeVerifier();
    const cache = new VerifiedTokenCache(verifier, { ...LIMITS, now: clock().now });
    await expect(cache.verify(token('alice'))).resolves.toMatchObject({ subject: 'alice' });
    await expect(cache.verify(token('bob'))).resolves.toMatchObject({ subject: 'bob' });
    expect(calls(token('alice'))).toBe(1);
    expect(calls(token('bob'))).toBe(1);
    expect(cache.misses).toBe(2);
    expect(cache.hits).toBe(0);
  });

  it('expiry by exp: an entry is not served at or after the token exp, even within the max TTL', async () => {
    const { verifier, calls } = fakeVerifier();
    const time = clock();
    const exp = T0 / 1000 + 10;
    const cache = new VerifiedTokenCache(verifier, { ...LIMITS, maxTtlSeconds: 600, now: time.now });
    await cache.verify(token('alice', exp));
    time.advance(9_999);
    await cache.verify(token('alice', exp));
    expect(calls(token('alice', exp))).toBe(1);
    time.advance(1);
    await cache.verify(token('alice', exp));
    expect(calls(token('alice', exp))).toBe(2);
  });

  it('expiry by max TTL: an entry is not served after maxTtlSeconds, even when the token lives longer', async () => {
    const { verifier, calls } = fakeVerifier();
    const time = clock();
    const cache = new VerifiedTokenCache(verifier, { ...LIMITS, maxTtlSeconds: 60, now: time.now });
    await cache.verify(token('alice'));
    time.advance(59_999);
    await cache.verify(token('alice'));
    expect(calls(token('alice'))).toBe(1);
    time.advance(1);
    await cache.verify(token('alice'));
    expect(calls(token('alice'))).toBe(2);
    time.advance(30_000);
    await cache.verify(token('alice'));
    expect(calls(token('alice'))).toBe(2);
  });

  it('does not cache a token the verifier accepted past its exp (clock tolerance)', async () => {
    const { verifier, calls } = fakeVerifier();
    const cache = new VerifiedTokenCache(verifier, { ...LIMITS, now: clock().now });
    const expired = token('alice', T0 / 1000 - 5);
    await cache.verify(expired);
    await cache.verify(expired);
    expect(calls(expired)).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('bound: never holds more than maxEntries, evicting the least recently used', async () => {
    const { verifier, calls } = fakeVerifier();
    const cache = new VerifiedTokenCache(verifier, { ...LIMITS, maxEntries: 2, now: clock().now });
    await cache.verify(token('a'));
    await cache.verify(token('b'));
    await cache.verify(token('a')); // a is now the most recently used
    await cache.verify(token('c')); // evicts b
    expect(cache.size).toBe(2);
    await cache.verify(token('a'));
    await cache.verify(token('c'));
    expect(calls(token('a'))).toBe(1);
    expect(calls(token('c'))).toBe(1);
    await cache.verify(token('b'));
    expect(calls(token('b'))).toBe(2);
    expect(cache.size).toBe(2);
    for (let index = 0; index < 100; index += 1) await cache.verify(token(`user-${index}`));
    expect(cache.size).toBe(2);
  });

  it('failures are never cached: invalid tokens and outages are re-verified every time', async () => {
    const { verifier, calls } = fakeVerifier();
    const cache = new VerifiedTokenCache(verifier, { ...LIMITS, now: clock().now });
    await expect(cache.verify('bad-token')).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(cache.verify('bad-token')).rejects.toBeInstanceOf(InvalidTokenError);
    expect(calls('bad-token')).toBe(2);
    await expect(cache.verify('down-token')).rejects.toBeInstanceOf(AuthorizationServerUnavailableError);
    await expect(cache.verify('down-token')).rejects.toBeInstanceOf(AuthorizationServerUnavailableError);
    expect(calls('down-token')).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('concurrent verifications of one uncached token share one call to the verifier', async () => {
    const { verifier, calls } = fakeVerifier();
    const cache = new VerifiedTokenCache(verifier, { ...LIMITS, now: clock().now });
    const results = await Promise.all(Array.from({ length: 64 }, () => cache.verify(token('alice'))));
    expect(new Set(results).size).toBe(1);
    expect(calls(token('alice'))).toBe(1);
    const failures = await Promise.all(
      Array.from({ length: 8 }, () => cache.verify('bad-x').catch((error: unknown) => error)),
    );
    expect(failures.every((failure) => failure instanceof InvalidTokenError)).toBe(true);
    expect(calls('bad-x')).toBe(1);
    await expect(cache.verify('bad-x')).rejects.toBeInstanceOf(InvalidTokenError);
    expect(calls('bad-x')).toBe(2);
  });

  it('the key is the SHA-256 hash of the token: the token itself is not kept anywhere in the cache', async () => {
    const { verifier } = fakeVerifier();
    const cache = new VerifiedTokenCache(verifier, { ...LIMITS, now: clock().now });
    const secret = token('alice');
    await cache.verify(secret);
    const expectedKey = createHash('sha256').update(secret).digest('base64url');
    expect(verifiedTokenCacheKey(secret)).toBe(expectedKey);
    const entries = (cache as unknown as { entries: Map<string, unknown> }).entries;
    expect([...entries.keys()]).toEqual([expectedKey]);
    const dump = inspect(cache, { depth: Infinity, showHidden: true });
    expect(dump).toContain(expectedKey);
    expect(dump).not.toContain(secret);
  });

  it('shares deep-frozen AuthInfo objects between requests', async () => {
    const { verifier } = fakeVerifier();
    const cache = new VerifiedTokenCache(verifier, { ...LIMITS, now: clock().now });
    const auth = await cache.verify(token('alice'));
    expect(Object.isFrozen(auth)).toBe(true);
    expect(Object.isFrozen(auth.claims.aud)).toBe(true);
    expect(Object.isFrozen(auth.claims.scopes)).toBe(true);
  });

  it('rejects nonsensical settings', () => {
    const { verifier } = fakeVerifier();
    expect(() => new VerifiedTokenCache(verifier, { ...LIMITS, maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => new VerifiedTokenCache(verifier, { ...LIMITS, maxEntries: 1.5 })).toThrow(/maxEntries/);
    expect(() => new VerifiedTokenCache(verifier, { ...LIMITS, maxTtlSeconds: 0 })).toThrow(/maxTtlSeconds/);
    expect(() => new VerifiedTokenCache(verifier, { ...LIMITS, maxTtlSeconds: Number.NaN })).toThrow(/maxTtlSeconds/);
  });
});

describe('VerifiedTokenCache around the real JwtTokenVerifier', () => {
  const RESOURCE = 'https://mcp.example.com/mcp';
  let issuer: LocalIssuer;
  let cache: VerifiedTokenCache;

  beforeAll(async () => {
    issuer = await LocalIssuer.start();
    const keys = new RemoteSigningKeys(issuer.jwksUri, { cooldownMs: 30_000, maxAgeMs: 600_000, timeoutMs: 1000 });
    cache = new VerifiedTokenCache(
      new JwtTokenVerifier(keys.getKey, {
        issuers: [issuer.issuer],
        audiences: [RESOURCE],
        algorithms: ['RS256'],
        clockToleranceSeconds: 0,
      }),
      LIMITS,
    );
  });
  afterAll(() => issuer.stop());

  it('caches a valid JWT and still refuses a tampered copy of it', async () => {
    const jwt = issuer.mintToken({ audience: RESOURCE, scopes: ['todo:read'] });
    const first = await cache.verify(jwt);
    await expect(cache.verify(jwt)).resolves.toBe(first);
    expect(cache.hits).toBe(1);
    const [header, payload, signature] = jwt.split('.');
    const tampered = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(cache.verify(tampered)).rejects.toBeInstanceOf(InvalidTokenError);
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...first.claims, sub: 'mallory' })).toString('base64url')}.${signature}`;
    await expect(cache.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(cache.size).toBe(1);
  });

  it('re-verifies an expired token (and refuses it) instead of serving the cached entry', async () => {
    const jwt = issuer.mintToken({ audience: RESOURCE, expiresIn: -1 });
    await expect(cache.verify(jwt)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(cache.verify(jwt)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
