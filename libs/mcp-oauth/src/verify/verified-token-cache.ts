import { hash } from 'node:crypto';
import type { AuthInfo } from '../auth/auth-info.js';
import type { TokenVerifier } from './token-verifier.js';

/** Settings of {@link VerifiedTokenCache}. */
export interface VerifiedTokenCacheOptions {
  /** Most tokens remembered at once; the least recently used is forgotten first. */
  maxEntries: number;
  /** Longest time, in seconds, a verified token is served from the cache (never past its `exp`). */
  maxTtlSeconds: number;
  /**
   * `false`: remember verified tokens (for {@link VerifiedTokenCache.has}) but verify every call with the wrapped
   * verifier anyway, for a verifier whose answers must not be cached. @default true
   */
  serveHits?: boolean;
  /** Clock in milliseconds since the epoch (tests). @default Date.now */
  now?: () => number;
}

interface Entry {
  auth: AuthInfo;
  /** Milliseconds since the epoch after which the entry is not served: min(exp, verified + max TTL). */
  until: number;
}

/** SHA-256 of the token (base64url): the only form in which a token is kept. */
export function verifiedTokenCacheKey(token: string): string {
  return hash('sha256', token, 'base64url');
}

/** Freezes an object graph (authInfoFromClaims freezes only the first level of `claims`). */
function deepFreeze(value: unknown, seen = new Set<object>()): void {
  if (typeof value !== 'object' || value === null || seen.has(value) || ArrayBuffer.isView(value)) return;
  seen.add(value);
  Object.freeze(value);
  for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child, seen);
}

/**
 * A {@link TokenVerifier} decorator that remembers tokens the wrapped verifier accepted, so a client that sends the
 * same access token on every MCP request pays for one signature check, not one per request.
 *
 * - Keyed by the SHA-256 hash of the token: the token itself is never stored (a heap dump does not leak bearer
 *   credentials), and a hit requires the exact same token string (SHA-256 collision resistance), so no other token,
 *   however similar, can borrow an entry.
 * - An entry is served only while the token is unexpired (`AuthInfo.expiresAt`, without clock tolerance) and for at
 *   most `maxTtlSeconds` after it was verified, whichever comes first.
 * - Bounded: at most `maxEntries` entries, least recently used evicted first.
 * - Only successes are cached. Every failure (invalid token, authorization server unreachable) propagates and is
 *   retried on the next call; concurrent calls with one uncached token share one verification.
 * - Cached {@link AuthInfo} objects are shared between requests and deep-frozen.
 *
 * When it is safe: a cache hit skips re-checking the signature, `iss`, `aud` and time claims of a token already
 * verified by the same verifier with the same settings. That is exactly as safe as verifying a self-contained JWT at
 * all: a JWT verifier never sees revocation before `exp` either. What the cache adds is at most `maxTtlSeconds` of
 * delay for things that change on the server side: a signing key withdrawn from the JWKS (the key cache without this
 * decorator already keeps keys up to `jwksCacheMaxAgeSeconds`) or a configuration change (a restart clears the cache).
 * Do not wrap a verifier whose answers depend on more than the token (e.g. introspection that must see revocation
 * at once, or per-request context): use a small `maxTtlSeconds` or no cache there.
 *
 * @example
 * const verifier = new VerifiedTokenCache(new JwtTokenVerifier(keys.getKey, settings), { maxEntries: 10_000, maxTtlSeconds: 60 });
 */
export class VerifiedTokenCache implements TokenVerifier {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<AuthInfo>>();
  private readonly maxEntries: number;
  private readonly maxTtlMs: number;
  private readonly now: () => number;
  private readonly serveHits: boolean;
  private hitCount = 0;
  private missCount = 0;

  constructor(
    private readonly inner: TokenVerifier,
    options: VerifiedTokenCacheOptions,
  ) {
    const { maxEntries, maxTtlSeconds, serveHits = true, now = Date.now } = options;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`VerifiedTokenCache: maxEntries must be a positive integer (got ${String(maxEntries)}).`);
    }
    if (!Number.isFinite(maxTtlSeconds) || maxTtlSeconds <= 0) {
      throw new RangeError(
        `VerifiedTokenCache: maxTtlSeconds must be a positive number (got ${String(maxTtlSeconds)}).`,
      );
    }
    this.maxEntries = maxEntries;
    this.maxTtlMs = maxTtlSeconds * 1000;
    this.serveHits = serveHits;
    this.now = now;
  }

  /** Tokens currently remembered (expired entries are dropped lazily, or evicted). */
  get size(): number {
    return this.entries.size;
  }

  /** Calls answered from the cache (for benchmarks and metrics). */
  get hits(): number {
    return this.hitCount;
  }

  /** Calls passed to the wrapped verifier (for benchmarks and metrics). */
  get misses(): number {
    return this.missCount;
  }

  /** Forgets every cached token (e.g. after a configuration change or a known key compromise). */
  clear(): void {
    this.entries.clear();
    this.pending.clear();
  }

  /**
   * True when this exact token verified before and its entry is still valid (unexpired, within the TTL): the
   * failed-authentication limiter never blocks such a caller. Does not count as a hit nor refresh the entry.
   */
  has(token: string): boolean {
    const entry = this.entries.get(verifiedTokenCacheKey(token));
    return entry !== undefined && this.now() < entry.until;
  }

  verify(token: string): Promise<AuthInfo> {
    const key = verifiedTokenCacheKey(token);
    const entry = this.serveHits ? this.entries.get(key) : undefined;
    if (entry !== undefined) {
      if (this.now() < entry.until) {
        this.hitCount += 1;
        // Least recently used order = Map insertion order: move the entry to the end.
        this.entries.delete(key);
        this.entries.set(key, entry);
        return Promise.resolve(entry.auth);
      }
      this.entries.delete(key);
    }
    const inFlight = this.pending.get(key);
    if (inFlight !== undefined) return inFlight;
    this.missCount += 1;
    const verification = this.verifyAndRemember(key, token).finally(() => this.pending.delete(key));
    this.pending.set(key, verification);
    return verification;
  }

  private async verifyAndRemember(key: string, token: string): Promise<AuthInfo> {
    const auth = await this.inner.verify(token);
    const now = this.now();
    const until = Math.min(now + this.maxTtlMs, auth.expiresAt * 1000);
    if (Number.isFinite(until) && until > now) {
      deepFreeze(auth);
      this.entries.set(key, { auth, until });
      while (this.entries.size > this.maxEntries) {
        const oldest = this.entries.keys().next().value as string;
        this.entries.delete(oldest);
      }
    }
    return auth;
  }
}

/**
 * Injection token of the {@link VerifiedTokenCache} in front of the module's verifier, or `null` when there is none
 * (internal: the failed-authentication limiter asks it whether a token verified before).
 */
export const VERIFIED_TOKENS = Symbol('nestjs-mcp-oauth:VerifiedTokens');
