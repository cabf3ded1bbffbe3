/**
 * The reflect-metadata keys @rekog/mcp-nest 2 writes on tool methods, read by string so that apps without mcp-nest
 * never load it (its `@Tool()` stores its options, whose `name` defaults to the method name).
 */
export const MCP_NEST_TOOL = 'mcp:tool';
/** `@ToolScopes(scopes, { match })`: `string[]`. */
export const MCP_NEST_SCOPES = 'mcp:scopes';
/** `'all'` (default) or `'any'`. */
export const MCP_NEST_SCOPES_MATCH = 'mcp:scopes-match';

/** What mcp-nest's `@Tool()` stores. */
export interface McpNestToolOptions {
  name?: string;
}
