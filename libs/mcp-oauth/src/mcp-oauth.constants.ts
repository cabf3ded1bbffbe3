/** DI token of the resolved, validated options ({@link ResolvedMcpOAuthOptions}). */
export const MCP_OAUTH_OPTIONS = 'MCP_OAUTH:RESOLVED_OPTIONS';

/** DI token of the {@link TokenVerifier} the guard uses. Override it to plug in your own verifier. */
export const TOKEN_VERIFIER = 'MCP_OAUTH:TOKEN_VERIFIER';

/** DI token of the `Scalekit` client from `@scalekit-sdk/node` (`null` when no Scalekit settings are given). */
export const SCALEKIT_CLIENT = 'MCP_OAUTH:SCALEKIT_CLIENT';

/** DI token of the failed-authentication limiter (`null` when switched off). */
export const AUTH_FAILURE_LIMITER = 'MCP_OAUTH:AUTH_FAILURE_LIMITER';

/** Reflect-metadata keys, namespaced so they never collide with other libraries. */
export const REQUIRED_SCOPES_METADATA = 'mcp-oauth:required-scopes';
export const PUBLIC_ROUTE_METADATA = 'mcp-oauth:public';
export const MCP_TOOL_METADATA = 'mcp-oauth:tool-name';

/** The RFC 9728 well-known path segment. */
export const PROTECTED_RESOURCE_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** Never advertised nor challenged for (MCP 2026-07-28, Scope Selection). */
export const OFFLINE_ACCESS_SCOPE = 'offline_access';
