import { All, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport, toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import type { Request, Response } from 'express';
import { type AuthInfo, McpAuth } from 'nestjs-mcp-oauth';
import { McpServerFactory } from './mcp-server.factory.js';

/** Removes the Authorization header before the MCP SDK sees the request: no token reaches tool code. */
function withoutAuthorization(request: Request): Request {
  delete request.headers.authorization;
  const raw = request.rawHeaders;
  for (let index = raw.length - 2; index >= 0; index -= 2) {
    if (raw[index].toLowerCase() === 'authorization') raw.splice(index, 2);
  }
  return request;
}

/**
 * `POST /mcp`: MCP Streamable HTTP, stateless (any instance can serve any request). 2025-era requests go to a
 * per-request SDK transport answering JSON; 2026-07-28 requests to the SDK's per-request handler. The global guard
 * of nestjs-mcp-oauth has verified the token and the tool's scopes before this runs.
 */
@Controller('mcp')
export class McpController {
  private readonly modernHandler: ReturnType<typeof toNodeHandler>;

  constructor(private readonly servers: McpServerFactory) {
    this.modernHandler = toNodeHandler(
      // 'auto' response mode (default): one JSON body unless a tool emits a message before its result.
      createMcpHandler(({ authInfo }) => this.servers.create(authInfo as unknown as AuthInfo), { legacy: 'reject' }),
    );
  }

  @Post()
  async handle(@Req() request: Request, @Res() response: Response, @McpAuth() auth: AuthInfo): Promise<void> {
    const body: unknown = request.body;
    withoutAuthorization(request);
    if (await isLegacyRequest(await toWebRequest(request, body), body)) {
      const server = this.servers.create(auth);
      const transport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      response.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request, response, body);
      return;
    }
    await this.modernHandler(request, response, body);
  }

  /** Stateless server: no standalone SSE stream (GET) and no session to delete (DELETE). */
  @All()
  @HttpCode(405)
  methodNotAllowed(@Res({ passthrough: true }) response: Response) {
    response.setHeader('Allow', 'POST');
    return {
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Method not allowed: this stateless MCP server only accepts POST.' },
      id: null,
    };
  }
}
