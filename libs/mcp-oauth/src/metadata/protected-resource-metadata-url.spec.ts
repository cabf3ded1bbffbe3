import { describe, expect, it } from '@jest/globals';
import { protectedResourceMetadataUrl } from './protected-resource-metadata-url.js';

describe('protectedResourceMetadataUrl', () => {
  it.each<[string, string]>([
    ['https://h/mcp', 'https://h/.well-known/oauth-protected-resource/mcp'],
    ['https://h/', 'https://h/.well-known/oauth-protected-resource'],
    ['https://h', 'https://h/.well-known/oauth-protected-resource'],
    ['https://h/a/b/', 'https://h/.well-known/oauth-protected-resource/a/b'],
    ['https://h/a/b', 'https://h/.well-known/oauth-protected-resource/a/b'],
    ['https://h:8443/mcp', 'https://h:8443/.well-known/oauth-protected-resource/mcp'],
    ['https://h:443/mcp', 'https://h/.well-known/oauth-protected-resource/mcp'],
    ['http://localhost:3000/mcp', 'http://localhost:3000/.well-known/oauth-protected-resource/mcp'],
    ['http://[::1]:3000/mcp', 'http://[::1]:3000/.well-known/oauth-protected-resource/mcp'],
  ])('%s -> %s', (resource, expected) => {
    expect(protectedResourceMetadataUrl(resource)).toBe(expected);
  });
});
