import { SetMetadata } from '@nestjs/common';
import { isScopeToken } from './scope-token.js';
import { REQUIRED_SCOPES_METADATA } from './scopes.constants.js';

/**
 * Declares the OAuth scopes a controller, route handler or MCP tool handler needs. On a class and a method the
 * scopes add up (union). A call lacking any of them gets `403 insufficient_scope` listing every scope needed
 * (RFC 6750 §3.1, MCP Authorization: Scope Challenge Handling).
 *
 * On an MCP tool handler, pair it with {@link McpTool} so the guard enforces it for `tools/call` of that tool.
 *
 * @example
 * \@McpTool('create_todo')
 * \@RequireScopes('todo:write')
 * createTodo(...) {}
 */
export function RequireScopes(...scopes: string[]): ClassDecorator & MethodDecorator {
  for (const scope of scopes) {
    if (!isScopeToken(scope)) {
      throw new TypeError(
        `@RequireScopes(): ${JSON.stringify(scope)} is not a valid scope; scopes are non-empty strings without spaces or quotes (RFC 6749 §3.3).`,
      );
    }
  }
  if (scopes.length === 0) {
    throw new TypeError('@RequireScopes() needs at least one scope; use @Public() for routes that need no token.');
  }
  return SetMetadata(REQUIRED_SCOPES_METADATA, [...scopes]);
}
