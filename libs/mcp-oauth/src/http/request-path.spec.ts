import { describe, expect, it } from '@jest/globals';
import { normalizeRoutePath, pathOfTarget, trimTrailingSlashes } from './request-path.js';

describe('trimTrailingSlashes', () => {
  it.each<[string, string]>([
    ['', ''],
    ['/', ''],
    ['///', ''],
    ['/mcp', '/mcp'],
    ['/mcp/', '/mcp'],
    ['/mcp///', '/mcp'],
    ['https://h/', 'https://h'],
    ['https://h/a/', 'https://h/a'],
    ['/mcp/ ', '/mcp/ '],
    ['/mcp\\', '/mcp\\'],
    ['/mcp%2F', '/mcp%2F'],
    ['/mcp\uff0f', '/mcp\uff0f'],
    ['//a//b//', '//a//b'],
  ])('%j -> %j', (value, trimmed) => {
    expect(trimTrailingSlashes(value)).toBe(trimmed);
  });

  it('trims 100 000 slashes', () => {
    expect(trimTrailingSlashes(`/a${'/'.repeat(100_000)}`)).toBe('/a');
  });
});

describe('normalizeRoutePath', () => {
  it.each<[string, string]>([
    ['/mcp', '/mcp'],
    ['/MCP', '/mcp'],
    ['/Mcp/', '/mcp'],
    ['/mcp//', '/mcp'],
    ['/', '/'],
    ['', '/'],
    ['//', '/'],
    ['/api/MCP/v1/', '/api/mcp/v1'],
    ['/mcp/ ', '/mcp/ '],
    ['/mcp?x=1', '/mcp?x=1'],
    ['/İ', '/i̇'],
  ])('%j -> %j', (path, normalized) => {
    expect(normalizeRoutePath(path)).toBe(normalized);
  });
});

describe('pathOfTarget', () => {
  it.each<[string, string, string]>([
    ['origin-form', '/mcp', '/mcp'],
    ['origin-form with a query', '/mcp?x=1', '/mcp'],
    ['origin-form with a fragment', '/mcp#top', '/mcp'],
    ['a query before a fragment', '/mcp?x=1#top', '/mcp'],
    ['a fragment before a ?', '/mcp#a?b', '/mcp'],
    ['an empty query', '/mcp?', '/mcp'],
    ['a query holding a path', '/other?next=/mcp', '/other'],
    ['a trailing slash (kept)', '/mcp/?x', '/mcp/'],
    ['the root', '/', '/'],
    ['a bare query', '/?/mcp', '/'],
    ['a percent-encoded ? (kept)', '/mcp%3Fx', '/mcp%3Fx'],
    ['a double slash', '//mcp', '//mcp'],
    ['absolute-form', 'http://mcp.example.com/mcp', '/mcp'],
    ['absolute-form with a port and a query', 'https://mcp.example.com:8443/mcp?x=1', '/mcp'],
    ['absolute-form with a fragment', 'http://h/mcp#x', '/mcp'],
    ['absolute-form with a deeper path', 'http://h/api/mcp/?a=b', '/api/mcp/'],
    ['absolute-form without a path', 'http://mcp.example.com', '/'],
    ['absolute-form with userinfo', 'http://user:pw@h/mcp', '/mcp'],
    ['asterisk-form', '*', '*'],
    ['authority-form', 'mcp.example.com:443', 'mcp.example.com:443'],
    ['an empty target', '', ''],
  ])('reads %s (%j) as %j', (_name, target, path) => {
    expect(pathOfTarget(target)).toBe(path);
  });

  it.each<[string, string]>([
    ['a query holding a path', 'http://mcp.example.com?next=/mcp'],
    ['a fragment holding a path', 'http://mcp.example.com#/mcp'],
    ['a query and a port', 'http://mcp.example.com:8080?/mcp/x'],
  ])('ends the authority of an absolute-form target at ? and # too: %s', (_name, target) => {
    // RFC 3986 §3.2: the authority ends at the first /, ? or #; a router reads the path as / here.
    expect(new URL(target).pathname).toBe('/');
    expect(pathOfTarget(target)).toBe('/');
  });

  it('reads a 100 000-character query in one pass', () => {
    expect(pathOfTarget(`/mcp?${'?#'.repeat(50_000)}`)).toBe('/mcp');
  });
});
