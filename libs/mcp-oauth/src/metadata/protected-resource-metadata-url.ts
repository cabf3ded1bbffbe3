import { trimTrailingSlashes } from '../http/request-path.js';

/** The RFC 9728 §3 well-known path segment. */
export const PROTECTED_RESOURCE_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * The RFC 9728 §3.1 metadata URL of a resource: the well-known segment inserted between the origin and the
 * resource's path (`https://h/mcp` -> `https://h/.well-known/oauth-protected-resource/mcp`); MCP clients try it
 * first, then the root URL (MCP Authorization: Protected Resource Metadata Discovery Requirements).
 *
 * @example
 * protectedResourceMetadataUrl('https://mcp.example.com/mcp');
 * // 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp'
 */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}${PROTECTED_RESOURCE_WELL_KNOWN}${trimTrailingSlashes(url.pathname)}`;
}
