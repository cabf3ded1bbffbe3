/** Reflect-metadata key of {@link McpTool}, namespaced so it never collides with other libraries. */
export const MCP_TOOL_METADATA = 'mcp-oauth:tool-name';

/** Most messages in one JSON-RPC batch: what the MCP SDK's Streamable HTTP transport accepts. */
export const MAX_BATCH_MESSAGES = 100;

/**
 * Deepest nesting of arrays and objects accepted in an MCP request body. Deeper bodies are refused before anything
 * runs: the MCP SDK re-serialises the body recursively and would overflow the stack (a 500) on a deep enough one.
 */
export const MAX_JSON_DEPTH = 128;
