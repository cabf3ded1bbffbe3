import { InvalidRequestError } from '../errors/failures.js';
import type { JsonRpcBody } from './json-rpc-body.js';
import { decodeMcpNameHeader, stripOptionalWhitespace } from './mcp-name-header.js';

type Headers = Record<string, string | string[] | undefined>;

/** A header as one string, repeated values joined the way the Fetch `Headers` class joins them. */
function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The MCP 2026-07-28 routing headers (SEP-2243) must say what the body says, as the MCP server checks them:
 * `Mcp-Method` equals the `method` of a single message; `Mcp-Name`, decoded (Base64 sentinel included), equals the
 * tool of a single `tools/call`, or names one of the calls of a batch. A disagreement, or an invalid Base64 sentinel,
 * is an {@link InvalidRequestError}: the guard never authorizes one tool while the server runs another.
 */
export function crossCheckMcpHeaders(body: JsonRpcBody, headers: Headers): void {
  const methodHeader = headerValue(headers['mcp-method']);
  const method = methodHeader === undefined ? undefined : stripOptionalWhitespace(methodHeader);
  if (method !== undefined && !body.isBatch && body.singleMethod !== undefined && method !== body.singleMethod) {
    throw new InvalidRequestError(
      'mcp_header_mismatch',
      'The Mcp-Method header does not match the method of the request body.',
    );
  }
  const nameHeader = headerValue(headers['mcp-name']);
  if (nameHeader === undefined) return;
  const name = decodeMcpNameHeader(nameHeader);
  if (name === undefined) {
    throw new InvalidRequestError('mcp_name_encoding', 'The Mcp-Name header carries an invalid Base64 sentinel value.');
  }
  const mismatch = body.isBatch
    ? method === 'tools/call' && !body.toolCalls.includes(name)
    : body.singleToolName !== undefined && name !== body.singleToolName;
  if (mismatch) {
    throw new InvalidRequestError(
      'mcp_header_mismatch',
      'The Mcp-Name header does not match the tool named in the request body.',
    );
  }
}
