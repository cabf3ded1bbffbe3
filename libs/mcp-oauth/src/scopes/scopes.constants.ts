/** Reflect-metadata key of {@link RequireScopes}, namespaced so it never collides with other libraries. */
export const REQUIRED_SCOPES_METADATA = 'mcp-oauth:required-scopes';

/** Reflect-metadata key of {@link Public}. */
export const PUBLIC_ROUTE_METADATA = 'mcp-oauth:public';
