import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { HealthController, sampleOAuthModule, TodoStore, validateSampleEnv } from '@nestjs-mcp-oauth/sample-kit';
import { MCP_SERVER_FACTORY, McpSdkController } from 'nestjs-mcp-oauth/mcp-sdk';
import { TodoServerFactory } from './mcp/todo-server.factory.js';
import { TodoTools } from './todos/todo.tools.js';

/**
 * The sample MCP server: todo tools behind nestjs-mcp-oauth (configured from the environment by the sample kit's
 * `sampleOAuthModule`), served with the official MCP SDK through the library's `McpSdkController`.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateSampleEnv }),
    sampleOAuthModule('nestjs-mcp-oauth sample todo server'),
  ],
  controllers: [McpSdkController('mcp'), HealthController],
  providers: [TodoStore, TodoTools, TodoServerFactory, { provide: MCP_SERVER_FACTORY, useExisting: TodoServerFactory }],
})
export class SampleModule {}
