import { Inject } from '@nestjs/common';
import type { McpServer } from '@modelcontextprotocol/server';
import type { AuthInfo } from '../auth/auth-info.js';

/**
 * Builds the MCP SDK's `McpServer` that answers one request, for one verified caller (stateless Streamable HTTP: a
 * fresh server per request, so any instance can serve any request). Register tools on it as the SDK documents; the
 * caller is also in each tool handler's `ctx.http.authInfo.extra.caller`.
 *
 * @example
 * \@Injectable()
 * class TodoServerFactory implements McpServerFactory {
 *   createServer(caller: AuthInfo) {
 *     const server = new McpServer({ name: 'todo', version: '1.0.0' });
 *     server.registerTool('whoami', { description: 'Who am I' }, () => ({ content: [{ type: 'text', text: caller.subject }] }));
 *     return server;
 *   }
 * }
 */
export interface McpServerFactory {
  createServer(caller: AuthInfo): McpServer | Promise<McpServer>;
}

/** Injection token of the app's {@link McpServerFactory}, used by {@link McpSdkController}. */
export const MCP_SERVER_FACTORY = Symbol('nestjs-mcp-oauth:McpServerFactory');

/** Injects the app's {@link McpServerFactory}. */
export const InjectMcpServerFactory = (): PropertyDecorator & ParameterDecorator => Inject(MCP_SERVER_FACTORY);
