import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { McpContext } from '@rekog/mcp-nest';
import type { AuthInfo } from 'nestjs-mcp-oauth';

/**
 * The verified caller of an mcp-nest tool call, as `@McpAuth()` gives it to an HTTP handler: the {@link AuthInfo}
 * nestjs-mcp-oauth's guard attached to the request as `auth` (mcp-nest hands tools the Node request,
 * `McpContext.getRawRequest()`; on Fastify the guard attaches it there too). mcp-nest's own view of the caller,
 * `request.user`, carries the same subject and principal, with the scope hierarchy applied to its scopes.
 */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): AuthInfo => {
  const auth = context.switchToRpc().getContext<McpContext>().getRawRequest<{ auth?: AuthInfo }>()?.auth;
  if (!auth)
    throw new Error('No verified caller on this MCP request: is /mcp served behind the nestjs-mcp-oauth guard?');
  return auth;
});
