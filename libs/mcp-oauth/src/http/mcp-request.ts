import { InvalidRequestError, UnsupportedMediaTypeError } from '../errors/failures.js';
import { readJsonRpcBody } from '../mcp/json-rpc-body.js';
import { crossCheckMcpHeaders } from '../mcp/mcp-request-headers.js';
import { type McpOAuthRequest, requestTargetOf } from './http-request.js';
import { hasBody, isJsonMediaType } from './json-media-type.js';

/** What the guard authorizes of a request to the MCP endpoint. */
export interface McpRequestView {
  /** The tool of every `tools/call`, in order, repeats included (the audit trail). */
  toolCalls: readonly string[];
  /** Each tool once (the scopes to require). */
  tools: readonly string[];
}

/**
 * Reads a request to the MCP endpoint as the MCP server will execute it, or refuses it before anything runs when
 * the two could read it differently (one view of the request: what the guard authorizes is what runs):
 * - the target must be origin-form (`/mcp?...`), and `http://<Host><target>` a valid URL: the MCP SDK rebuilds the
 *   URL from both, and fails (a 500) on what routers accept (an absolute-form target, `Host: a b`) -> 400;
 * - a body must be JSON the framework parsed (`Content-Type: application/json`, strictly): otherwise the SDK would
 *   read the raw stream itself, and run tools the guard never saw -> 415, without reading the body;
 * - a batch of more than 100 messages, or a body nested deeper than the SDK can re-serialise -> 400;
 * - the 2026-07-28 `Mcp-Method` / `Mcp-Name` headers must agree with the body (Base64 sentinel decoded) -> 400.
 * The body is frozen (deeply) once read, so nothing after the guard can change what it authorized.
 */
export function readMcpRequest(request: McpOAuthRequest): McpRequestView {
  const target = requestTargetOf(request);
  if (!target.startsWith('/')) {
    throw new InvalidRequestError(
      'absolute_form_target',
      'The MCP endpoint accepts origin-form request targets only (POST /mcp, with a Host header).',
    );
  }
  const host = request.headers.host;
  if (host !== undefined && !URL.canParse(`http://${host}${target}`)) {
    throw new InvalidRequestError(
      'invalid_host',
      'The Host header together with the request target is not a valid URL.',
    );
  }
  if (!hasBody(request.headers)) return { toolCalls: [], tools: [] };
  const body = request.body;
  if (
    !isJsonMediaType(request.headers['content-type']) ||
    typeof body !== 'object' ||
    body === null ||
    Buffer.isBuffer(body)
  ) {
    throw new UnsupportedMediaTypeError();
  }
  const jsonRpc = readJsonRpcBody(body, { freeze: true });
  crossCheckMcpHeaders(jsonRpc, request.headers);
  return { toolCalls: jsonRpc.toolCalls, tools: [...new Set(jsonRpc.toolCalls)] };
}
