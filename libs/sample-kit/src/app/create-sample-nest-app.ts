import type { INestApplication, LoggerService, LogLevel, Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { embeddedAuthSettings, SAMPLE_SCOPES } from '../config/auth-mode.js';
import { type SampleEnv, sampleEnvFrom, trustProxySetting } from '../config/sample-env.js';
import type { EmbeddedAuthorizationServer } from '../dev-auth/embedded-authorization-server.js';

/** Options of a sample app's creation. */
export interface CreateSampleAppOptions {
  logger?: LoggerService | LogLevel[] | false;
}

/** A sample app (not yet listening), and its embedded authorization server when there is one. */
export interface SampleApp {
  app: INestApplication;
  env: SampleEnv;
  authorizationServer: EmbeddedAuthorizationServer | undefined;
}

/**
 * Creates a sample app (not yet listening) on the platform `MCP_HTTP_PLATFORM` names, with `TRUST_PROXY` applied.
 * `loadModule` imports the app module: it is called here, after the environment is in place, because ConfigModule
 * validates the environment when the module file is evaluated. Without Scalekit settings the embedded authorization
 * server is mounted at `/oauth` on the same origin, ahead of Nest's routes and body parsers (it parses its own
 * requests).
 */
export async function createSampleNestApp(
  loadModule: () => Promise<Type<unknown>>,
  options: CreateSampleAppOptions = {},
): Promise<SampleApp> {
  const appModule = await loadModule();
  // The platform and `trust proxy` are needed before the app exists; invalid values are reported by ConfigModule's
  // validation during create (a throw here would leave ConfigModule's rejected promise unhandled).
  const MCP_HTTP_PLATFORM = process.env.MCP_HTTP_PLATFORM === 'fastify' ? 'fastify' : 'express';
  const TRUST_PROXY = trustProxySetting(process.env.TRUST_PROXY?.trim() || undefined);
  const nestOptions = { abortOnError: false, logger: options.logger };
  let app: INestApplication;
  if (MCP_HTTP_PLATFORM === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    // Fastify's own type omits the hop count its runtime accepts.
    const trustProxy = TRUST_PROXY as string | boolean | undefined;
    app = await NestFactory.create(appModule, new FastifyAdapter({ trustProxy }), nestOptions);
  } else {
    const express = await NestFactory.create<NestExpressApplication>(appModule, nestOptions);
    applyTrustProxy(express, TRUST_PROXY);
    app = express;
  }
  app.enableShutdownHooks();
  const env = sampleEnvFrom(app.get<ConfigService<SampleEnv, true>>(ConfigService));
  const embedded = embeddedAuthSettings(env);
  let authorizationServer: EmbeddedAuthorizationServer | undefined;
  if (embedded) {
    // Loaded only in development mode: Scalekit deployments never load oidc-provider.
    const { EmbeddedAuthorizationServer } = await import('../dev-auth/embedded-authorization-server.js');
    authorizationServer = new EmbeddedAuthorizationServer({
      issuer: embedded.issuer,
      resource: env.MCP_SERVER_URL,
      scopes: SAMPLE_SCOPES,
    });
    app.use(authorizationServer.router());
  }
  return { app, env, authorizationServer };
}

/**
 * Express's `trust proxy` (`TRUST_PROXY`; Fastify's `trustProxy` takes the same value): set it when the app runs behind a reverse proxy, so `request.ip` (the
 * address the failed-authentication limiter counts) is the client's, not the proxy's.
 */
function applyTrustProxy(app: NestExpressApplication, trustProxy: SampleEnv['TRUST_PROXY']): void {
  if (trustProxy === undefined) return;
  try {
    app.set('trust proxy', trustProxy);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Sample app configuration error:\n  - TRUST_PROXY: ${JSON.stringify(trustProxy)} is not a valid Express "trust proxy" value (${reason}); use a hop count (1), loopback, or proxy addresses (10.0.0.1, 10.0.0.0/8).`,
      { cause: error },
    );
  }
}
