import { InvalidRequestError } from '../guard/mcp-oauth.errors.js';

interface JsonRpcMessage {
  method?: unknown;
  params?: { name?: unknown } | null;
}

function toolNameOf(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { method, params } = message as JsonRpcMessage;
  if (method !== 'tools/call' || typeof params !== 'object' || params === null) return undefined;
  return typeof params.name === 'string' ? params.name : undefined;
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Names of the MCP tools a request calls: `params.name` of every JSON-RPC `tools/call` in the body (a single
 * message or a batch array). When the 2026 `Mcp-Method: tools/call` and `Mcp-Name` headers are present they must
 * agree with the body (MCP 2026-07-28 Streamable HTTP, routing headers); a mismatch is an {@link InvalidRequestError}.
 */
export function findToolCalls(body: unknown, headers: Record<string, string | string[] | undefined>): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const names: string[] = [];
  for (const message of messages) {
    const name = toolNameOf(message);
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  const headerMethod = singleHeader(headers['mcp-method']);
  const headerName = singleHeader(headers['mcp-name']);
  if (headerMethod === 'tools/call' && headerName !== undefined) {
    if (names.length === 0 && !Array.isArray(body)) return [headerName];
    if (!names.includes(headerName)) {
      throw new InvalidRequestError('The Mcp-Name header does not match the tool named in the request body.');
    }
  }
  return names;
}
