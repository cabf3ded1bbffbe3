/** The protocol version the doctor speaks (MCP 2025-11-25, Streamable HTTP). */
export const DOCTOR_PROTOCOL_VERSION = '2025-11-25';

/**
 * Headers of a Streamable HTTP POST as MCP clients send them (MCP Basic, Transports, Streamable HTTP: the client
 * MUST accept both JSON and SSE answers and send `MCP-Protocol-Version`).
 */
export function mcpPostHeaders(protocolVersion = DOCTOR_PROTOCOL_VERSION): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': protocolVersion,
  };
}

/** A JSON-RPC `initialize` request as an MCP client opens a session with (MCP Basic, Lifecycle, Initialization). */
export function initializeRequest(id: number): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: DOCTOR_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'nestjs-mcp-oauth-doctor', version: '0.1.0' },
    },
  });
}

/** The `notifications/initialized` notification a client sends after `initialize` (MCP Basic, Lifecycle). */
export function initializedNotification(): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
}

/** A JSON-RPC `tools/list` request (MCP Server Features, Tools, Listing Tools). */
export function toolsListRequest(id: number): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list', params: {} });
}
