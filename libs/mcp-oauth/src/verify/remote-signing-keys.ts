import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { AuthorizationServerUnavailableError, InvalidTokenError } from '../errors/failures.js';

/** Settings of {@link RemoteSigningKeys}. */
export interface RemoteSigningKeysOptions {
  /** Minimum milliseconds between two fetches caused by an unknown `kid` (a flood causes at most one per window). */
  cooldownMs: number;
  /** Age in milliseconds after which cached keys are refreshed in the background (while still being used). */
  maxAgeMs: number;
  /** Timeout of one fetch, in milliseconds. */
  timeoutMs: number;
  /** Minimum milliseconds between fetch attempts after a failed one. @default 2000 */
  retryAfterFailureMs?: number;
  /** Called after every fetch attempt (events: keys refreshed, authorization server unavailable). */
  onFetch?: (outcome: { ok: boolean; keys?: number; error?: string }) => void;
}

/** Default minimum gap between fetch attempts after a failed one (an outage costs one fetch per 2 s at most). */
const RETRY_AFTER_FAILURE_MS = 2000;

/**
 * The authorization server's signing keys (RFC 7517 JWK Set), fetched over HTTP lazily, cached and shared:
 * - concurrent first requests share one fetch;
 * - a token whose `kid` is unknown triggers one refetch, at most once per cooldown window counted from the previous
 *   unknown-`kid` refetch (so key rotation works on the first request that uses the new key, however soon after the
 *   last fetch; a flood of made-up `kid`s costs at most one fetch per window);
 * - keys older than `maxAgeMs` are refreshed in the background while the cached ones keep serving, and a failed
 *   refresh keeps them (an authorization server outage does not break valid tokens);
 * - with nothing cached and the server unreachable, {@link AuthorizationServerUnavailableError} (503), never 401.
 *
 * Key selection and algorithm matching are jose's `createLocalJWKSet`; the token's own `jku`/`x5u`/`jwk` headers
 * are never followed.
 */
export class RemoteSigningKeys {
  private local: JWTVerifyGetKey | undefined;
  private fetchedAt = 0;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastUnknownKidRefetchAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;
  private lastFetchFailed = false;
  private fetchCount = 0;

  constructor(
    private readonly url: string,
    private readonly options: RemoteSigningKeysOptions,
  ) {}

  /** Number of HTTP fetches made so far (for benchmarks and tests). */
  get fetches(): number {
    return this.fetchCount;
  }

  /** The key-resolution function handed to `jwtVerify`. */
  readonly getKey: JWTVerifyGetKey = async (protectedHeader, token) => {
    if (!this.local) await this.refreshOrFail();
    else if (Date.now() - this.fetchedAt > this.options.maxAgeMs) this.refreshInBackground();
    try {
      return await (this.local as JWTVerifyGetKey)(protectedHeader, token);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw error;
    }
    await this.refetchForUnknownKid();
    return (this.local as JWTVerifyGetKey)(protectedHeader, token);
  };

  /**
   * A token names a key we do not have. Requests meeting it together share one refetch; after a successful refetch
   * the key is unknown for a cooldown window (401); after a failed one it is a 503 until the next attempt, which
   * comes `retryAfterFailureMs` later, so an outage never turns into 401s that send clients to re-login.
   */
  private async refetchForUnknownKid(): Promise<void> {
    if (this.pending) {
      await this.pending.catch(() => undefined);
      if (!this.lastFetchFailed) return;
    }
    if (Date.now() - this.lastUnknownKidRefetchAt < this.options.cooldownMs && !this.lastFetchFailed) {
      throw new InvalidTokenError('unknown_key', 'No signing key of the authorization server matches the token.');
    }
    this.lastUnknownKidRefetchAt = Date.now();
    await this.refreshOrFail();
  }

  /** Fetches now (sharing a fetch already under way); 503 when it fails or a failed one is too recent to retry. */
  private async refreshOrFail(): Promise<void> {
    const retryGap = this.options.retryAfterFailureMs ?? RETRY_AFTER_FAILURE_MS;
    const sinceLastAttempt = Date.now() - this.lastAttemptAt;
    if (!this.pending && this.lastFetchFailed && sinceLastAttempt < retryGap) {
      throw new AuthorizationServerUnavailableError((retryGap - sinceLastAttempt) / 1000);
    }
    try {
      await this.refresh();
    } catch (cause) {
      throw new AuthorizationServerUnavailableError(retryGap / 1000, { cause });
    }
  }

  private refreshInBackground(): void {
    if (this.pending || Date.now() - this.lastAttemptAt < this.options.cooldownMs) return;
    this.refresh().catch(() => undefined);
  }

  private refresh(): Promise<void> {
    this.pending ??= this.fetchKeys().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchKeys(): Promise<void> {
    this.lastAttemptAt = Date.now();
    this.fetchCount += 1;
    try {
      const response = await fetch(this.url, {
        headers: { accept: 'application/json, application/jwk-set+json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (response.status !== 200) throw new Error(`JWKS endpoint answered HTTP ${response.status}`);
      const jwks = (await response.json()) as JSONWebKeySet;
      this.local = createLocalJWKSet(jwks);
      this.fetchedAt = Date.now();
      this.lastFetchFailed = false;
      this.options.onFetch?.({ ok: true, keys: jwks.keys.length });
    } catch (error) {
      this.lastFetchFailed = true;
      const message = error instanceof Error ? error.message : String(error);
      this.options.onFetch?.({ ok: false, error: message });
      throw error;
    }
  }
}
