import { SetMetadata } from '@nestjs/common';
import { MCP_TOOL_METADATA } from './mcp.constants.js';

/**
 * Names the MCP tool a provider method handles, so that the {@link RequireScopes} on that method (and on its
 * class) are enforced by the guard for every JSON-RPC `tools/call` of the tool, before the MCP server runs it.
 *
 * Tool names follow MCP's naming rules (Tools: Tool Names): 1-128 characters of `A-Z a-z 0-9 _ - .`.
 *
 * @example
 * \@McpTool('delete_todo') \@RequireScopes('todo:write') deleteTodo(...) {}
 */
export function McpTool(name: string): MethodDecorator {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(name)) {
    throw new TypeError(
      `@McpTool(): ${JSON.stringify(name)} is not a valid MCP tool name (1-128 of A-Z a-z 0-9 _ - .).`,
    );
  }
  return SetMetadata(MCP_TOOL_METADATA, name);
}
