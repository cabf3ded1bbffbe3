import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type SampleEnv, sampleEnvFrom } from '../config/sample-env.js';
import { SharedLimiterStorage } from './shared-limiter-storage.js';

/** Injection token of the limiter's storage: a {@link SharedLimiterStorage} with `REDIS_URL`, else `null` (in memory). */
export const LIMITER_STORAGE = Symbol('sample:LimiterStorage');

/** Provides the failed-authentication limiter's storage from the environment (`REDIS_URL`). */
@Module({
  providers: [
    {
      provide: LIMITER_STORAGE,
      inject: [ConfigService],
      useFactory: (config: ConfigService<SampleEnv, true>) => {
        const { REDIS_URL } = sampleEnvFrom(config);
        return REDIS_URL ? new SharedLimiterStorage(REDIS_URL) : null;
      },
    },
  ],
  exports: [LIMITER_STORAGE],
})
export class LimiterStorageModule {}
