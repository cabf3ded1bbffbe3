const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Strips HTTP optional whitespace (space, tab) from both ends, as header parsers do (RFC 9110 §5.6.3). */
export function stripOptionalWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value.charCodeAt(start) === 0x20 || value.charCodeAt(start) === 0x09)) start += 1;
  while (end > start && (value.charCodeAt(end - 1) === 0x20 || value.charCodeAt(end - 1) === 0x09)) end -= 1;
  return value.slice(start, end);
}

/**
 * Decodes an `Mcp-Name` (or `Mcp-Param-*`) header value as MCP 2026-07-28 (SEP-2243) and the MCP SDK do: optional
 * whitespace stripped; a value wrapped in `=?base64?...?=` is canonical Base64 of UTF-8 text; anything else is the
 * value itself. Returns `undefined` for an invalid sentinel (not canonical Base64, or not valid UTF-8), which servers
 * must refuse.
 *
 * @example
 * decodeMcpNameHeader('=?base64?Y3JlYXRlX3RvZG8=?='); // 'create_todo'
 */
export function decodeMcpNameHeader(header: string): string | undefined {
  const value = stripOptionalWhitespace(header);
  if (!value.startsWith(SENTINEL_PREFIX) || !value.endsWith(SENTINEL_SUFFIX)) return value;
  const base64 = value.slice(SENTINEL_PREFIX.length, value.length - SENTINEL_SUFFIX.length);
  if (!CANONICAL_BASE64.test(base64)) return undefined;
  try {
    return STRICT_UTF8.decode(Buffer.from(base64, 'base64'));
  } catch {
    return undefined;
  }
}
