import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { embeddedAuthSettings, SAMPLE_SCOPES } from './config/auth-mode.js';
import { type SampleEnv, sampleEnvFrom } from './config/sample-env.js';
import type { EmbeddedAuthorizationServer } from './dev-auth/embedded-authorization-server.js';

/** Options of {@link createSampleApp}. */
export interface CreateSampleAppOptions {
  logger?: LoggerService | LogLevel[] | false;
}

/** The sample app (not yet listening), and its embedded authorization server when there is one. */
export interface SampleApp {
  app: INestApplication;
  env: SampleEnv;
  authorizationServer: EmbeddedAuthorizationServer | undefined;
}

/**
 * Creates the sample app (not yet listening). The sample module is imported here, after the environment is in
 * place, because ConfigModule validates the environment when the module file is evaluated. Without Scalekit settings
 * the embedded authorization server is mounted at `/oauth` on the same origin, ahead of Nest's routes and body
 * parsers (it parses its own requests).
 */
export async function createSampleApp(options: CreateSampleAppOptions = {}): Promise<SampleApp> {
  const { SampleModule } = await import('./sample.module.js');
  const app = await NestFactory.create(SampleModule, { abortOnError: false, logger: options.logger });
  app.enableShutdownHooks();
  const env = sampleEnvFrom(app.get<ConfigService<SampleEnv, true>>(ConfigService));
  const embedded = embeddedAuthSettings(env);
  let authorizationServer: EmbeddedAuthorizationServer | undefined;
  if (embedded) {
    // Loaded only in development mode: Scalekit deployments never load oidc-provider.
    const { EmbeddedAuthorizationServer } = await import('./dev-auth/embedded-authorization-server.js');
    authorizationServer = new EmbeddedAuthorizationServer({
      issuer: embedded.issuer,
      resource: env.MCP_SERVER_URL,
      scopes: SAMPLE_SCOPES,
    });
    app.use(authorizationServer.router());
  }
  return { app, env, authorizationServer };
}
