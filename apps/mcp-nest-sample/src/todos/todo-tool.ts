import { noArguments, TODO_TOOLS, type TodoToolContract, type TodoToolName } from '@nestjs-mcp-oauth/sample-kit';
import type { ToolOptions } from '@rekog/mcp-nest';

/**
 * mcp-nest's `@Tool()` options for one of the sample's tools: `{ name, description, parameters, outputSchema }`, the
 * description and the zod schemas of its arguments and result from the sample kit's `TODO_TOOLS` (mcp-nest validates
 * both, and returns the result as `structuredContent` mirrored as JSON text).
 */
export function todoTool(name: TodoToolName): ToolOptions {
  const { description, inputSchema, outputSchema }: TodoToolContract = TODO_TOOLS[name];
  return { name, description, parameters: inputSchema ?? noArguments, outputSchema };
}
