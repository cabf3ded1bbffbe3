import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { HealthController, sampleOAuthModule, TodoStore, validateSampleEnv } from '@nestjs-mcp-oauth/sample-kit';
import { McpHttpController } from './mcp/mcp-http.controller.js';
import { TodoTools } from './todos/todo.tools.js';

/**
 * The mcp-nest sample MCP server: the sample's todo tools as an `@McpController` of @rekog/mcp-nest, behind
 * nestjs-mcp-oauth (configured from the environment by the sample kit's `sampleOAuthModule`), the MCP route served
 * by a Nest controller.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateSampleEnv }),
    sampleOAuthModule('nestjs-mcp-oauth mcp-nest sample todo server'),
  ],
  controllers: [McpHttpController, TodoTools, HealthController],
  providers: [TodoStore],
})
export class McpNestSampleModule {}
