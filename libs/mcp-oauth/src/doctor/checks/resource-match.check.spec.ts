import { describe, expect, it } from '@jest/globals';
import { checkResourceAllowed } from '@modelcontextprotocol/client';
import { sdkAcceptsResource } from './resource-match.check.js';

describe('sdkAcceptsResource', () => {
  it.each([
    ['https://h/mcp', 'https://h/mcp', true],
    ['https://h/mcp', 'https://h/', true],
    ['https://h/mcp', 'https://h', true],
    ['https://h/mcp/sub', 'https://h/mcp', true],
    ['https://h/mcp#frag', 'https://h/mcp', true],
    ['https://h/mcp', 'https://h/mcp/', false],
    ['https://h/mcpx', 'https://h/mcp', false],
    ['https://h/mcp', 'http://h/mcp', false],
    ['https://h/mcp', 'https://h:444/mcp', false],
    ['https://h/mcp', 'https://other/mcp', false],
  ])('requested %s against resource %s: %s, as the MCP SDK decides', (requested, resource, expected) => {
    expect(sdkAcceptsResource(requested, resource)).toBe(expected);
    const withoutFragment = new URL(requested);
    withoutFragment.hash = '';
    expect(checkResourceAllowed({ requestedResource: withoutFragment, configuredResource: resource })).toBe(expected);
  });
});
