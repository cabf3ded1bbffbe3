import type { AuthInfo } from '../auth/auth-info.js';

/**
 * The caller as @rekog/mcp-nest reads it from `request.user` (its tool context, `tools/list` filtering and its own
 * `@ToolScopes` / `@ToolRoles` checks): `scope` (space-delimited, which mcp-nest reads first) and `scopes` hold the
 * token's scopes with the scope hierarchy applied, so mcp-nest agrees with the guard; `roles` when the token has a
 * `roles` array.
 */
export interface McpNestUser {
  sub: string;
  principal: string;
  client_id: string | undefined;
  scope: string;
  scopes: string[];
  roles?: string[];
}

/** Builds the {@link McpNestUser} of a verified caller, from the scopes it effectively holds. */
export function mcpNestUserOf(auth: AuthInfo, effectiveScopes: Iterable<string>): McpNestUser {
  const scopes = [...effectiveScopes];
  const roles = auth.claims.roles;
  return {
    sub: auth.subject,
    principal: auth.principal,
    client_id: auth.clientId,
    scope: scopes.join(' '),
    scopes,
    ...(Array.isArray(roles) && roles.every((role) => typeof role === 'string') ? { roles: [...roles] } : {}),
  };
}

/**
 * The Node request of an mcp-nest tool call seen in a Nest `rpc` context (apps that connect the MCP microservice with
 * `inheritAppConfig: true` run global guards again around each tool method): mcp-nest's `McpContext` gives it.
 */
export function rawRequestOfMcpNestCall(rpcContext: unknown): object | undefined {
  const context = rpcContext as { getRawRequest?: () => unknown } | null | undefined;
  if (typeof context?.getRawRequest !== 'function') return undefined;
  const raw = context.getRawRequest();
  return typeof raw === 'object' && raw !== null ? raw : undefined;
}
