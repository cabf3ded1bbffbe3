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

/** The tool name of every `tools/call` in the body, in order, repeats included (one audit entry per call). */
export function listToolCalls(body: unknown): string[] {
  const names: string[] = [];
  for (const message of Array.isArray(body) ? body : [body]) {
    const name = toolNameOf(message);
    if (name !== undefined) names.push(name);
  }
  return names;
}

function methodOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as JsonRpcMessage).method
    : undefined;
}

/**
 * Names of the MCP tools a request calls, each once: `params.name` of every JSON-RPC `tools/call` in the body (a
 * single message or a batch array; pass `calls` when {@link listToolCalls} already ran). The 2026 routing headers must agree with a single-message body (MCP
 * 2026-07-28 Streamable HTTP): `Mcp-Method` with its `method`, and for `tools/call` `Mcp-Name` with its tool; a
 * mismatch is an {@link InvalidRequestError}. With no JSON body the headers name the tool.
 */
export function findToolCalls(
  body: unknown,
  headers: Record<string, string | string[] | undefined>,
  calls: readonly string[] = listToolCalls(body),
): string[] {
  const names = [...new Set(calls)];
  const headerMethod = singleHeader(headers['mcp-method']);
  const headerName = singleHeader(headers['mcp-name']);
  const bodyMethod = methodOf(body);
  if (headerMethod !== undefined && bodyMethod !== undefined && headerMethod !== bodyMethod) {
    throw new InvalidRequestError('The Mcp-Method header does not match the method of the request body.');
  }
  if (headerMethod === 'tools/call' && headerName !== undefined) {
    if (names.length === 0 && !Array.isArray(body) && bodyMethod === undefined) return [headerName];
    if (!names.includes(headerName)) {
      throw new InvalidRequestError('The Mcp-Name header does not match the tool named in the request body.');
    }
  }
  return names;
}
