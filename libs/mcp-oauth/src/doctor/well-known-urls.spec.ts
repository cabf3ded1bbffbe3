import { describe, expect, it } from '@jest/globals';
import { buildDiscoveryUrls } from '@modelcontextprotocol/client';
import { authorizationServerMetadataLocations, pathInsertedMetadataUrl, rootMetadataUrl } from './well-known-urls.js';

describe('well-known URLs', () => {
  it.each([
    ['https://h/mcp', 'https://h/.well-known/oauth-protected-resource/mcp'],
    ['https://h/mcp/', 'https://h/.well-known/oauth-protected-resource/mcp'],
    ['https://h:8443/a/b?x=1', 'https://h:8443/.well-known/oauth-protected-resource/a/b?x=1'],
    ['https://h/', 'https://h/.well-known/oauth-protected-resource'],
  ])('path-inserted metadata URL of %s is %s (RFC 9728 §3.1)', (resource, expected) => {
    expect(pathInsertedMetadataUrl(new URL(resource))).toBe(expected);
  });

  it('root metadata URL drops the path', () => {
    expect(rootMetadataUrl(new URL('https://h:8443/a/b?x=1'))).toBe(
      'https://h:8443/.well-known/oauth-protected-resource',
    );
  });

  it.each([
    'https://as.example.com',
    'https://as.example.com/',
    'https://as.example.com/tenant',
    'https://as/r/res_1/',
  ])('authorization server metadata locations for %s are those of the MCP SDK client, in its order', (issuer) => {
    expect(authorizationServerMetadataLocations(issuer)).toEqual(
      buildDiscoveryUrls(issuer).map(({ url, type }) => ({ url: url.href, type })),
    );
  });
});
