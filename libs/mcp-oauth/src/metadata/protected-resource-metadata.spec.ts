import { describe, expect, it } from '@jest/globals';
import type { ResolvedMcpOAuthOptions } from '../config/resolved-options.js';
import { resolveMcpOAuthOptions } from '../config/resolve-options.js';
import { buildProtectedResourceMetadata } from './protected-resource-metadata.js';

const AS = 'https://acme.scalekit.com/resources/res_123';

function options(overrides: Partial<ResolvedMcpOAuthOptions> = {}): ResolvedMcpOAuthOptions {
  const resolved = resolveMcpOAuthOptions({
    resource: 'https://mcp.example.com/mcp',
    scalekit: { environmentUrl: 'https://acme.scalekit.com', resourceId: 'res_123' },
  });
  return { ...resolved, ...overrides };
}

describe('buildProtectedResourceMetadata', () => {
  it('builds the minimal document with exactly the required fields', () => {
    expect(buildProtectedResourceMetadata(options(), [])).toStrictEqual({
      resource: 'https://mcp.example.com/mcp',
      authorization_servers: [AS],
      bearer_methods_supported: ['header'],
      scopes_supported: [],
    });
  });

  it.each([
    'https://mcp.example.com/mcp',
    'https://mcp.example.com/mcp/',
    'https://mcp.example.com',
    'http://localhost:3000/mcp',
    'https://MCP.example.com:443/mcp',
  ])('keeps the resource %s exactly as configured', (resource) => {
    expect(buildProtectedResourceMetadata(options({ resource }), []).resource).toBe(resource);
  });

  it('advertises the header bearer method only (RFC 6750 §2.1)', () => {
    expect(buildProtectedResourceMetadata(options(), ['a']).bearer_methods_supported).toEqual(['header']);
  });

  it.each<[string, string[], string[], string[]]>([
    ['declared scopes, sorted', [], ['todo:write', 'todo:read', 'admin'], ['admin', 'todo:read', 'todo:write']],
    ['configured scopes, sorted', ['z', 'b'], [], ['b', 'z']],
    [
      'both, merged, de-duplicated and sorted',
      ['todo:read', 'profile'],
      ['todo:write', 'todo:read', 'todo:write'],
      ['profile', 'todo:read', 'todo:write'],
    ],
    ['offline_access among the declared scopes', [], ['offline_access', 'todo:read'], ['todo:read']],
    ['offline_access among the configured scopes', ['offline_access', 'b'], ['a'], ['a', 'b']],
    ['only offline_access', ['offline_access'], ['offline_access'], []],
  ])('lists %s', (_name, scopesSupported, declared, expected) => {
    const document = buildProtectedResourceMetadata(options({ scopesSupported }), declared);
    expect(document.scopes_supported).toEqual(expected);
    expect(document.scopes_supported).not.toContain('offline_access');
  });

  it('includes resource_name and resource_documentation only when set', () => {
    const withBoth = buildProtectedResourceMetadata(
      options({ resourceName: 'Todo MCP', resourceDocumentation: 'https://docs.example.com/mcp' }),
      [],
    );
    expect(withBoth.resource_name).toBe('Todo MCP');
    expect(withBoth.resource_documentation).toBe('https://docs.example.com/mcp');

    const withName = buildProtectedResourceMetadata(options({ resourceName: 'Todo MCP' }), []);
    expect(withName).toHaveProperty('resource_name', 'Todo MCP');
    expect(withName).not.toHaveProperty('resource_documentation');

    const withNeither = buildProtectedResourceMetadata(options(), []);
    expect(Object.keys(withNeither).sort()).toEqual([
      'authorization_servers',
      'bearer_methods_supported',
      'resource',
      'scopes_supported',
    ]);
    expect(JSON.stringify(withNeither)).not.toMatch(/resource_name|resource_documentation|null/);
  });

  it('copies authorization_servers so the document cannot alter the options', () => {
    const base = options();
    const servers = ['https://a.example.com', 'https://b.example.com'];
    const resolved = options({ authority: { ...base.authority, authorizationServers: servers } });
    const document = buildProtectedResourceMetadata(resolved, []);
    expect(document.authorization_servers).toEqual(['https://a.example.com', 'https://b.example.com']);
    document.authorization_servers.push('https://evil.example.com');
    expect(resolved.authority.authorizationServers).toEqual(['https://a.example.com', 'https://b.example.com']);
  });

  it('does not sort or modify the inputs', () => {
    const resolved = options({ scopesSupported: ['z', 'a'] });
    const declared = ['y', 'offline_access', 'b'];
    buildProtectedResourceMetadata(resolved, declared);
    expect(resolved.scopesSupported).toEqual(['z', 'a']);
    expect(declared).toEqual(['y', 'offline_access', 'b']);
  });

  it('leaves out internal options (issuers, audiences, JWKS URI)', () => {
    const serialized = JSON.stringify(buildProtectedResourceMetadata(options(), ['a']));
    expect(serialized).not.toContain('/keys');
    expect(serialized).not.toContain('"res_123"');
    expect(serialized).not.toMatch(/issuer|audience|jwks/i);
  });
});
