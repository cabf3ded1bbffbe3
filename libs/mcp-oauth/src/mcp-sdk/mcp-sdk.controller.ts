import { Controller, Delete, Get, Inject, Post, Req, Res, type Type } from '@nestjs/common';
import type { McpOAuthRequest, McpOAuthResponse } from '../http/http-request.js';
import { nodeResponseOf } from '../http/http-request.js';
import { MCP_OAUTH_OPTIONS, type ResolvedMcpOAuthOptions } from '../config/resolved-options.js';
import { McpSdkHandler, writeJsonRpcError } from './mcp-sdk-handler.js';
import { MCP_SERVER_FACTORY, type McpServerFactory } from './mcp-server-factory.js';

/**
 * A Nest controller serving MCP Streamable HTTP (stateless) at `path` with the official MCP SDK: `POST` hands the SDK
 * exactly what the guard authorized ({@link McpSdkHandler}); `GET` and `DELETE` (a standalone SSE stream, a session
 * to end) answer 405, since a stateless server has neither. Provide your {@link McpServerFactory} as
 * `MCP_SERVER_FACTORY`. Works on Express and Fastify.
 *
 * @example
 * \@Module({
 *   imports: [McpOAuthModule.forRoot({ resource: 'https://mcp.example.com/mcp', scalekit: { ... } })],
 *   controllers: [McpSdkController('mcp')],
 *   providers: [{ provide: MCP_SERVER_FACTORY, useClass: TodoServerFactory }],
 * })
 */
export function McpSdkController(path = 'mcp'): Type<unknown> {
  @Controller(path)
  class McpSdkHttpController {
    private readonly handler: McpSdkHandler;

    constructor(
      @Inject(MCP_SERVER_FACTORY) factory: McpServerFactory,
      @Inject(MCP_OAUTH_OPTIONS) options: ResolvedMcpOAuthOptions,
    ) {
      this.handler = new McpSdkHandler(factory, options.resource);
    }

    @Post()
    post(@Req() request: McpOAuthRequest, @Res() response: McpOAuthResponse): Promise<void> {
      return this.handler.handle(request, response);
    }

    @Get()
    get(@Res() response: McpOAuthResponse): void {
      methodNotAllowed(response);
    }

    @Delete()
    delete(@Res() response: McpOAuthResponse): void {
      methodNotAllowed(response);
    }
  }
  return McpSdkHttpController;
}

function methodNotAllowed(response: McpOAuthResponse): void {
  const node = nodeResponseOf(response);
  node.setHeader('Allow', 'POST');
  writeJsonRpcError(node, 405, -32000, 'Method not allowed: this stateless MCP server only accepts POST.');
}
