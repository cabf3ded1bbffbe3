import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { McpOAuthModule } from 'nestjs-mcp-oauth';
import { type SampleEnv, validateSampleEnv } from './config/sample-env.js';
import { HealthController } from './health/health.controller.js';
import { McpController } from './mcp/mcp.controller.js';
import { McpServerFactory } from './mcp/mcp-server.factory.js';
import { TodoStore } from './todos/todo.store.js';
import { TodoTools } from './todos/todo.tools.js';

/** The sample MCP server: todo tools behind nestjs-mcp-oauth, configured from the environment. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateSampleEnv }),
    McpOAuthModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService<SampleEnv, true>) => ({
        resource: config.get('MCP_SERVER_URL', { infer: true }),
        scalekit: {
          environmentUrl: config.get('SCALEKIT_ENVIRONMENT_URL', { infer: true }) as string,
          resourceId: config.get('SCALEKIT_RESOURCE_ID', { infer: true }) as string,
          clientId: config.get('SCALEKIT_CLIENT_ID', { infer: true }),
          clientSecret: config.get('SCALEKIT_CLIENT_SECRET', { infer: true }),
        },
        scopeHierarchy: { 'todo:write': ['todo:read'] },
        resourceName: 'nestjs-mcp-oauth sample todo server',
        dangerouslyDisableAuthForBenchmarks: config.get('MCP_BENCHMARK_AUTH_OFF', { infer: true }),
      }),
    }),
    DiscoveryModule,
  ],
  controllers: [McpController, HealthController],
  providers: [TodoStore, TodoTools, McpServerFactory],
})
export class SampleModule {}
