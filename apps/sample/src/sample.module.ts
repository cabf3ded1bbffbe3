import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { McpOAuthModule, type McpOAuthModuleOptions } from 'nestjs-mcp-oauth';
import { MCP_SERVER_FACTORY, McpSdkController } from 'nestjs-mcp-oauth/mcp-sdk';
import { embeddedAuthSettings, SAMPLE_SCOPES } from './config/auth-mode.js';
import { type SampleEnv, sampleEnvFrom, validateSampleEnv } from './config/sample-env.js';
import { HealthController } from './health/health.controller.js';
import { LIMITER_STORAGE, LimiterStorageModule } from './limiter/limiter-storage.module.js';
import { TodoServerFactory } from './mcp/todo-server.factory.js';
import { TodoStore } from './todos/todo.store.js';
import { TodoTools } from './todos/todo.tools.js';

/** The sample MCP server: todo tools behind nestjs-mcp-oauth, configured from the environment. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateSampleEnv }),
    McpOAuthModule.forRootAsync({
      imports: [ConfigModule, LimiterStorageModule],
      inject: [ConfigService, LIMITER_STORAGE],
      useFactory: (config: ConfigService<SampleEnv, true>, storage: ThrottlerStorage | null): McpOAuthModuleOptions => {
        const env = sampleEnvFrom(config);
        const common = {
          resource: env.MCP_SERVER_URL,
          mcpPath: '/mcp',
          scopeHierarchy: { 'todo:write': ['todo:read'] },
          scopesSupported: SAMPLE_SCOPES,
          resourceName: 'nestjs-mcp-oauth sample todo server',
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
      },
    }),
  ],
  controllers: [McpSdkController('mcp'), HealthController],
  providers: [TodoStore, TodoTools, TodoServerFactory, { provide: MCP_SERVER_FACTORY, useExisting: TodoServerFactory }],
})
export class SampleModule {}
