/**
 * Parses a `WWW-Authenticate` value holding one Bearer challenge into its parameters (RFC 9110 §11.6.1
 * auth-param syntax: token or quoted-string values, backslash escapes). Returns `undefined` when the value is not a
 * Bearer challenge or a parameter repeats (RFC 6750 §3: each at most once).
 *
 * @example
 * parseBearerChallenge('Bearer error="invalid_token", resource_metadata="https://h/.well-known/..."')
 * // { error: 'invalid_token', resource_metadata: 'https://h/.well-known/...' }
 */
export function parseBearerChallenge(header: string | null | undefined): Record<string, string> | undefined {
  if (!header) return undefined;
  const match = /^\s*Bearer(?:\s+(.*))?$/is.exec(header);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const pattern =
    /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+.^_`|~0-9A-Za-z-]+))\s*(?:,|$)/gy;
  const rest = match[1] ?? '';
  let consumed = 0;
  for (let param = pattern.exec(rest); param; param = pattern.exec(rest)) {
    const name = param[1].toLowerCase();
    if (Object.hasOwn(params, name)) return undefined;
    params[name] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : param[3];
    consumed = pattern.lastIndex;
  }
  if (rest.slice(consumed).trim() !== '') return undefined;
  return params;
}
