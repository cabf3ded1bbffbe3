const PROTECTED_RESOURCE = 'oauth-protected-resource';

/** The resource's path without a trailing slash (`/` becomes empty), as RFC 9728 §3.1 inserts it. */
function insertablePath(url: URL): string {
  return url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
}

/**
 * The path-inserted protected resource metadata URL (RFC 9728 §3.1): the well-known segment goes between the host
 * and the resource's path, the query is kept; what MCP clients try first when the challenge names no URL.
 *
 * @example
 * pathInsertedMetadataUrl(new URL('https://h/mcp')); // 'https://h/.well-known/oauth-protected-resource/mcp'
 */
export function pathInsertedMetadataUrl(resource: URL): string {
  const url = new URL(`/.well-known/${PROTECTED_RESOURCE}${insertablePath(resource)}`, resource.origin);
  url.search = resource.search;
  return url.href;
}

/**
 * The root protected resource metadata URL (MCP Authorization, Protected Resource Metadata Discovery Requirements:
 * the fallback clients try after the path-inserted one).
 *
 * @example
 * rootMetadataUrl(new URL('https://h/mcp')); // 'https://h/.well-known/oauth-protected-resource'
 */
export function rootMetadataUrl(resource: URL): string {
  return new URL(`/.well-known/${PROTECTED_RESOURCE}`, resource.origin).href;
}

/** One place authorization server metadata may live, and the document type expected there. */
export interface AuthorizationServerMetadataLocation {
  url: string;
  type: 'oauth' | 'oidc';
}

/**
 * Where MCP clients look for an authorization server's metadata, in the order the MCP TypeScript SDK client tries
 * them (`buildDiscoveryUrls` in @modelcontextprotocol/client 2.x; MCP Authorization, Authorization Server Metadata
 * Discovery): RFC 8414 §3.1 path-inserted `oauth-authorization-server`, then OpenID Connect Discovery path-inserted,
 * then OpenID Connect Discovery 1.0 §4 path-appended. An issuer without a path has only the two root URLs.
 *
 * @example
 * authorizationServerMetadataLocations('https://as/tenant').map((l) => l.url);
 * // ['https://as/.well-known/oauth-authorization-server/tenant',
 * //  'https://as/.well-known/openid-configuration/tenant',
 * //  'https://as/tenant/.well-known/openid-configuration']
 */
export function authorizationServerMetadataLocations(issuer: string): AuthorizationServerMetadataLocation[] {
  const url = new URL(issuer);
  if (url.pathname === '/') {
    return [
      { url: new URL('/.well-known/oauth-authorization-server', url.origin).href, type: 'oauth' },
      { url: new URL('/.well-known/openid-configuration', url.origin).href, type: 'oidc' },
    ];
  }
  const path = insertablePath(url);
  return [
    { url: new URL(`/.well-known/oauth-authorization-server${path}`, url.origin).href, type: 'oauth' },
    { url: new URL(`/.well-known/openid-configuration${path}`, url.origin).href, type: 'oidc' },
    { url: new URL(`${path}/.well-known/openid-configuration`, url.origin).href, type: 'oidc' },
  ];
}
