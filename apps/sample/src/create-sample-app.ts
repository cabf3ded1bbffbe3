import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/** Options of {@link createSampleApp}. */
export interface CreateSampleAppOptions {
  logger?: LoggerService | LogLevel[] | false;
}

/**
 * Creates the sample app (not yet listening). The sample module is imported here, after the environment is in
 * place, because ConfigModule validates the environment when the module file is evaluated.
 */
export async function createSampleApp(options: CreateSampleAppOptions = {}): Promise<INestApplication> {
  const { SampleModule } = await import('./sample.module.js');
  const app = await NestFactory.create(SampleModule, { abortOnError: false, logger: options.logger });
  app.enableShutdownHooks();
  return app;
}
