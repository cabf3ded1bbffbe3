import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';

const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * The failed-authentication limiter's counts in Redis (`REDIS_URL`), shared by every instance of the sample, through
 * `@nest-lab/throttler-storage-redis` (a `ThrottlerStorage` made for @nestjs/throttler). Commands fail at once while
 * Redis is unreachable (no offline queue, one retry), so the limiter fails open instead of waiting; connection errors
 * are logged at most every 30 s. The connection is closed when the app shuts down.
 */
export class SharedLimiterStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('LimiterStorage');
  private readonly redis: Redis;
  private readonly storage: ThrottlerStorageRedisService;
  private lastErrorLog = Number.NEGATIVE_INFINITY;

  constructor(redisUrl: string) {
    this.redis = new Redis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.redis.on('error', (error: Error) => this.logError(error));
    this.storage = new ThrottlerStorageRedisService(this.redis);
  }

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    return this.storage.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect(false);
  }

  private logError(error: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLog = now;
    this.logger.warn(
      `Redis for the failed-authentication limiter is unreachable (${error.message}); the limiter fails open until it is back.`,
    );
  }
}
