import type { ThrottlerStorage } from '@nestjs/throttler';

/** Settings of {@link FailedAuthenticationLimiter}. */
export interface FailedAuthenticationLimiterSettings {
  /** Failed authentications allowed per client address per window. */
  limit: number;
  /** Window length in seconds (also how long an address stays blocked). */
  windowSeconds: number;
  /**
   * Called when the storage fails, at most once per 30 s (the limiter then fails open: nobody is blocked because of
   * it).
   */
  onStorageError: (error: unknown) => void;
}

/** Name of the counter in the storage (one storage can hold other throttlers' counters). */
const THROTTLER_NAME = 'mcp-oauth-auth-failures';
/** Most storage calls in flight: beyond, failures are not counted (an unreachable store cannot pile up promises). */
const MAX_PENDING_INCREMENTS = 1000;
/** Blocked addresses remembered before expired entries are swept. */
const SWEEP_ABOVE = 10_000;
const STORAGE_ERROR_REPORT_INTERVAL_MS = 30_000;

/**
 * Counts failed authentications per client address in any @nestjs/throttler `ThrottlerStorage` (in memory, or one
 * shared by every instance such as Redis), and blocks an address past its limit for one window.
 *
 * Only failures touch the storage: they are counted without making the refused request wait (`recordFailure` does
 * not block), and the answer (blocked, for how long) is kept locally, so the question asked on every request
 * (`retryAfterSeconds`) is a map lookup, never a network call. With a shared storage an instance learns of a block
 * from the next failure it counts itself: the limit holds across instances, give or take one failure per instance.
 * When the storage fails, the limiter fails open (nobody is blocked) and reports it; it never fails a request.
 */
export class FailedAuthenticationLimiter {
  private readonly blockedUntil = new Map<string, number>();
  private pendingIncrements = 0;
  private lastStorageErrorReport = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly storage: ThrottlerStorage,
    private readonly settings: FailedAuthenticationLimiterSettings,
  ) {}

  /** True while no address is known to be blocked: the guard then skips working out the client address. */
  get idle(): boolean {
    return this.blockedUntil.size === 0;
  }

  /** Seconds until the address may try again, or 0 when it is not blocked. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return 0;
    if (until <= now) {
      this.blockedUntil.delete(address);
      return 0;
    }
    return Math.ceil((until - now) / 1000);
  }

  /** Counts one failed authentication from the address (in the background: the caller does not wait). */
  recordFailure(address: string): void {
    if (this.pendingIncrements >= MAX_PENDING_INCREMENTS) return;
    this.pendingIncrements += 1;
    const windowMs = this.settings.windowSeconds * 1000;
    Promise.resolve()
      .then(() =>
        this.storage.increment(`${THROTTLER_NAME}:${address}`, windowMs, this.settings.limit, windowMs, THROTTLER_NAME),
      )
      .then((record) => {
        if (typeof record !== 'object' || record === null || typeof record.isBlocked !== 'boolean') {
          throw new TypeError('the storage answered increment() without a ThrottlerStorageRecord');
        }
        if (record.isBlocked && record.timeToBlockExpire > 0) this.block(address, record.timeToBlockExpire);
      })
      .catch((error: unknown) => this.reportStorageError(error))
      .finally(() => {
        this.pendingIncrements -= 1;
      });
  }

  private block(address: string, seconds: number): void {
    const now = Date.now();
    if (this.blockedUntil.size >= SWEEP_ABOVE) {
      for (const [blocked, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(blocked);
    }
    this.blockedUntil.set(address, now + seconds * 1000);
  }

  private reportStorageError(error: unknown): void {
    const now = Date.now();
    if (now - this.lastStorageErrorReport < STORAGE_ERROR_REPORT_INTERVAL_MS) return;
    this.lastStorageErrorReport = now;
    this.settings.onStorageError(error);
  }
}

/** Injection token of the {@link FailedAuthenticationLimiter}, or `null` when the limiter is off (internal). */
export const FAILED_AUTHENTICATION_LIMITER = Symbol('nestjs-mcp-oauth:FailedAuthenticationLimiter');
