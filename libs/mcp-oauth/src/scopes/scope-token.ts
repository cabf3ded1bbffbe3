/** Never advertised in `scopes_supported` nor challenged for (MCP 2026-07-28, Scope Selection): clients ask for it. */
export const OFFLINE_ACCESS_SCOPE = 'offline_access';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * RFC 6749 §3.3 scope-token: one or more printable ASCII characters except space, `"` and `\`.
 *
 * @example
 * isScopeToken('todo:write'); // true
 * isScopeToken('todo:read todo:write'); // false: two scopes
 */
export function isScopeToken(value: unknown): value is string {
  return typeof value === 'string' && SCOPE_TOKEN.test(value);
}
