import { normalizeIp, type ThrottlerStorageService } from '@nestjs/throttler';

/** Settings of the failed-authentication limiter. */
export interface AuthFailureLimit {
  /** Failed authentications allowed per client address per window. */
  limit: number;
  /** Window length, in seconds. @default 60 */
  windowSeconds: number;
}

const THROTTLER_NAME = 'mcp-oauth-auth-failures';

/**
 * Counts failed authentications (invalid tokens, malformed credentials; never requests without credentials, so
 * discovery keeps working) per client address with @nestjs/throttler's storage, and blocks an address that exceeds
 * the limit for one window: such requests get 429 before any signature is checked.
 */
export class AuthFailureLimiter {
  constructor(
    private readonly storage: ThrottlerStorageService,
    private readonly settings: AuthFailureLimit,
  ) {}

  /** True while no failure is on record: the guard then skips working out the client address. */
  get idle(): boolean {
    return this.storage.storage.size === 0;
  }

  /** Seconds until the address may try again, or 0 when it is not blocked. */
  blockedFor(address: string): number {
    const record = this.storage.storage.get(this.key(address));
    if (!record?.isBlocked) return 0;
    const remainingMs = record.blockExpiresAt - Date.now();
    return remainingMs > 0 ? Math.ceil(remainingMs / 1000) : 0;
  }

  /** Records one failed authentication from the address. */
  async recordFailure(address: string): Promise<void> {
    const windowMs = this.settings.windowSeconds * 1000;
    await this.storage.increment(this.key(address), windowMs, this.settings.limit, windowMs, THROTTLER_NAME);
  }

  private key(address: string): string {
    return `${THROTTLER_NAME}:${normalizeIp(address)}`;
  }
}
