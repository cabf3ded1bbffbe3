import { Logger } from '@nestjs/common';
import { NodeStreamableHTTPServerTransport, toNodeHandler, toWebRequest } from '@modelcontextprotocol/node';
import { type AuthInfo as SdkAuthInfo, createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server';
import type { AuthInfo } from '../auth/auth-info.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizedRequestOf } from '../http/authorized-request.js';
import { type McpOAuthRequest, type McpOAuthResponse, nodeResponseOf } from '../http/http-request.js';
import type { McpServerFactory } from './mcp-server-factory.js';
import { callerOf, toSdkAuthInfo } from './sdk-auth-info.js';

type NodeRequest = IncomingMessage & { auth?: SdkAuthInfo };

/** A JSON-RPC error answer written on the Node response (MCP Base Protocol: error responses). */
export function writeJsonRpcError(response: ServerResponse, status: number, code: number, message: string): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** Removes the Authorization header before the MCP SDK sees the request: no token reaches tool code. */
function withoutAuthorization(request: IncomingMessage): void {
  delete request.headers.authorization;
  const raw = request.rawHeaders;
  for (let index = raw.length - 2; index >= 0; index -= 2) {
    if (raw[index].toLowerCase() === 'authorization') raw.splice(index, 2);
  }
}

/**
 * Hands the official MCP SDK exactly the request the guard authorized (stateless Streamable HTTP, both protocol
 * eras): the JSON body the guard read (never the stream read again), the verified caller as the SDK's `authInfo`,
 * the `Authorization` header removed. 2025-era requests are answered by a per-request SDK transport with a JSON body;
 * 2026-07-28 requests by the SDK's `createMcpHandler`. The SDK answers its own protocol errors as JSON-RPC errors;
 * a failure of the app's server factory is a JSON-RPC internal error (500), logged by name.
 */
export class McpSdkHandler {
  private readonly logger = new Logger('McpSdk');
  private readonly modern: ReturnType<typeof toNodeHandler>;

  constructor(
    private readonly factory: McpServerFactory,
    private readonly resource?: string,
  ) {
    this.modern = toNodeHandler(
      createMcpHandler(
        ({ authInfo }) => {
          const caller = callerOf(authInfo);
          if (!caller) throw new Error('no verified caller');
          return factory.createServer(caller);
        },
        { legacy: 'reject' },
      ),
    );
  }

  /** Serves one POST to the MCP endpoint (Express request and response, or Fastify's). */
  async handle(request: McpOAuthRequest, response: McpOAuthResponse): Promise<void> {
    const nodeResponse = nodeResponseOf(response);
    const authorized = authorizedRequestOf(request);
    if (!authorized) {
      // The guard did not run on this route (e.g. `guard: false` and no @UseGuards): refuse rather than serve.
      this.logger.error('McpSdkHandler: the nestjs-mcp-oauth guard did not authorize this request; refusing it.');
      writeJsonRpcError(nodeResponse, 500, -32603, 'Internal error: the MCP endpoint is not protected.');
      return;
    }
    const nodeRequest = (request.raw ?? request) as NodeRequest;
    withoutAuthorization(nodeRequest);
    nodeRequest.auth = toSdkAuthInfo(authorized.auth, this.resource);
    const body = authorized.body;
    try {
      if (await isLegacyRequest(await toWebRequest(nodeRequest, body), body)) {
        await this.serveLegacy(nodeRequest, nodeResponse, body, authorized.auth);
      } else {
        await this.modern(nodeRequest, nodeResponse, body);
      }
    } catch (error) {
      this.logger.error(`McpSdkHandler: ${error instanceof Error ? error.name : typeof error} while serving MCP.`);
      writeJsonRpcError(nodeResponse, 500, -32603, 'Internal error.');
    }
  }

  private async serveLegacy(
    request: NodeRequest,
    response: ServerResponse,
    body: unknown,
    caller: AuthInfo,
  ): Promise<void> {
    const server = await this.factory.createServer(caller);
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
  }
}
