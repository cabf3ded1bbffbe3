/**
 * True when a `Content-Type` value is exactly the `application/json` media type (case-insensitive), with or without
 * parameters: the type before the first `;`, with only HTTP optional whitespace (space, tab) around it. Stricter than
 * the parsers behind it (Express, Fastify, the MCP SDK), so the guard never reads as JSON what one of them would not.
 * Linear in the value's length.
 *
 * @example
 * isJsonMediaType('application/json; charset=utf-8'); // true
 * isJsonMediaType('application/json\u00a0'); // false (a no-break space is not HTTP whitespace)
 */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  let start = 0;
  let end = semicolon < 0 ? contentType.length : semicolon;
  while (start < end && isOptionalWhitespace(contentType.charCodeAt(start))) start += 1;
  while (end > start && isOptionalWhitespace(contentType.charCodeAt(end - 1))) end -= 1;
  return end - start === 16 && contentType.slice(start, end).toLowerCase() === 'application/json';
}

function isOptionalWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** True when the request announces a body: a `Transfer-Encoding`, or a `Content-Length` (RFC 9112 §6.1-6.2). */
export function hasBody(headers: { 'transfer-encoding'?: string; 'content-length'?: string }): boolean {
  return headers['transfer-encoding'] !== undefined || headers['content-length'] !== undefined;
}
