import type { DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { McpOAuthModule, type McpOAuthModuleOptions } from 'nestjs-mcp-oauth';
import { embeddedAuthSettings, SAMPLE_SCOPES } from '../config/auth-mode.js';
import { type SampleEnv, sampleEnvFrom } from '../config/sample-env.js';
import { LIMITER_STORAGE, LimiterStorageModule } from '../limiter/limiter-storage.module.js';

/**
 * nestjs-mcp-oauth's options for a sample MCP server, from its environment: the resource `MCP_SERVER_URL` served at
 * `/mcp`, `todo:write` implying `todo:read`, the failed-authentication limit (in Redis with `REDIS_URL`), where event
 * lines go; tokens of the embedded development authorization server (its JWKS, `at+jwt` only) without
 * `SCALEKIT_ENVIRONMENT_URL`, Scalekit's with it.
 */
export function sampleOAuthOptions(
  env: SampleEnv,
  storage: ThrottlerStorage | null,
  resourceName: string,
): McpOAuthModuleOptions {
  const common = {
    resource: env.MCP_SERVER_URL,
    mcpPath: '/mcp',
    scopeHierarchy: { 'todo:write': ['todo:read'] },
    scopesSupported: SAMPLE_SCOPES,
    resourceName,
    eventLog: env.MCP_EVENT_LOG === 'off' ? (false as const) : env.MCP_EVENT_LOG,
    dangerouslyDisableAuthForBenchmarks: env.MCP_BENCHMARK_AUTH_OFF,
    authFailureLimit: {
      limit: env.MCP_AUTH_FAILURES_PER_MINUTE,
      windowSeconds: 60,
      storage: storage ?? undefined,
    },
  };
  const embedded = embeddedAuthSettings(env);
  if (embedded) {
    // Development: tokens from the embedded authorization server, verified by the same guard code path.
    return {
      ...common,
      jwks: { issuer: embedded.issuer, jwksUri: embedded.jwksUri },
      requiredTokenType: 'at+jwt',
      allowLoopbackOrigins: true,
    };
  }
  return {
    ...common,
    scalekit: {
      environmentUrl: env.SCALEKIT_ENVIRONMENT_URL as string,
      resourceId: env.SCALEKIT_RESOURCE_ID as string,
      clientId: env.SCALEKIT_CLIENT_ID,
      clientSecret: env.SCALEKIT_CLIENT_SECRET,
    },
  };
}

/**
 * `McpOAuthModule.forRootAsync` with {@link sampleOAuthOptions}, read from the validated environment (the app module
 * imports `ConfigModule.forRoot({ isGlobal: true, validate: validateSampleEnv })` beside it).
 */
export function sampleOAuthModule(resourceName: string): DynamicModule {
  return McpOAuthModule.forRootAsync({
    imports: [ConfigModule, LimiterStorageModule],
    inject: [ConfigService, LIMITER_STORAGE],
    useFactory: (config: ConfigService<SampleEnv, true>, storage: ThrottlerStorage | null) =>
      sampleOAuthOptions(sampleEnvFrom(config), storage, resourceName),
  });
}
