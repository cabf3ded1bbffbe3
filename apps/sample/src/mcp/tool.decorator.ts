import { applyDecorators, SetMetadata } from '@nestjs/common';
import { McpTool } from 'nestjs-mcp-oauth';
import type { z } from 'zod';

export const SAMPLE_TOOL_METADATA = 'sample:mcp-tool';

/** How a provider method is exposed as an MCP tool. */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema?: z.ZodObject;
  outputSchema?: z.ZodObject;
}

/**
 * Exposes a provider method as an MCP tool (registered on the MCP server by {@link McpServerFactory}) and names it
 * for nestjs-mcp-oauth, so the method's `@RequireScopes` are enforced for `tools/call` of the tool.
 */
export function Tool(definition: ToolDefinition): MethodDecorator {
  return applyDecorators(McpTool(definition.name), SetMetadata(SAMPLE_TOOL_METADATA, definition));
}
