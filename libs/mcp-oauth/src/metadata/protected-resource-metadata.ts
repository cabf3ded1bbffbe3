import type { ResolvedMcpOAuthOptions } from '../config/resolved-options.js';
import { OFFLINE_ACCESS_SCOPE } from '../scopes/scope-token.js';

/** The RFC 9728 §2 OAuth 2.0 Protected Resource Metadata document this library serves. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: ['header'];
  scopes_supported: string[];
  resource_name?: string;
  resource_documentation?: string;
}

/**
 * Builds the metadata document: `resource` exactly the configured identifier (RFC 9728 §3.3 requires it to match
 * the URL the client used), header-only bearer method (RFC 6750 §2.1), and `scopes_supported` from the declared
 * scopes, sorted, never `offline_access` (MCP 2026-07-28).
 */
export function buildProtectedResourceMetadata(
  options: ResolvedMcpOAuthOptions,
  declaredScopes: readonly string[],
): ProtectedResourceMetadata {
  const scopes = [...new Set([...options.scopesSupported, ...declaredScopes])]
    .filter((scope) => scope !== OFFLINE_ACCESS_SCOPE)
    .sort();
  return {
    resource: options.resource,
    authorization_servers: [...options.authority.authorizationServers],
    bearer_methods_supported: ['header'],
    scopes_supported: scopes,
    ...(options.resourceName !== undefined ? { resource_name: options.resourceName } : {}),
    ...(options.resourceDocumentation !== undefined ? { resource_documentation: options.resourceDocumentation } : {}),
  };
}
