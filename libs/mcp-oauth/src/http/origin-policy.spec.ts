import { describe, expect, it } from '@jest/globals';
import { OriginPolicy } from './origin-policy.js';

const RESOURCE_ORIGIN = 'https://mcp.example.com';
const APP = 'https://app.example.com';

describe('OriginPolicy', () => {
  describe('with configured origins and loopback origins refused', () => {
    const policy = new OriginPolicy(RESOURCE_ORIGIN, [APP], false);

    it.each<[string, boolean]>([
      [RESOURCE_ORIGIN, true],
      [APP, true],
      ['https://evil.example.com', false],
      ['http://mcp.example.com', false],
      ['https://mcp.example.com:443', false],
      ['https://mcp.example.com:8443', false],
      ['https://MCP.example.com', false],
      ['https://mcp.example.com/', false],
      ['https://mcp.example.com.evil.com', false],
      ['https://evilmcp.example.com', false],
      [' https://mcp.example.com', false],
      ['https://mcp.example.com\u0000', false],
      ['http://localhost:6274', false],
      ['http://127.0.0.1:6274', false],
      ['http://[::1]:6274', false],
      ['null', false],
      ['', false],
      ['*', false],
      ['__proto__', false],
      ['constructor', false],
      ['https://' + 'a'.repeat(100_000) + '.example.com', false],
    ])('allows %j: %p', (origin, expected) => {
      expect(policy.allows(origin)).toBe(expected);
    });
  });

  describe('with loopback origins allowed', () => {
    const policy = new OriginPolicy(RESOURCE_ORIGIN, [], true);

    it.each<[string, boolean]>([
      ['http://localhost:6274', true],
      ['http://localhost', true],
      ['https://localhost:3000', true],
      ['http://LOCALHOST:6274', true],
      ['http://inspector.localhost:6274', true],
      ['http://127.0.0.1:6274', true],
      ['http://127.255.255.254', true],
      ['http://[::1]:6274', true],
      ['http://2130706433', true],
      ['http://0x7f.1', true],
      ['http://localhost.evil.com', false],
      ['http://127.0.0.1.evil.com', false],
      ['http://evil.com#@localhost', false],
      ['http://localhost@evil.com', false],
      ['http://128.0.0.1', false],
      ['http://0.0.0.0:6274', false],
      ['http://[::ffff:127.0.0.1]', false],
      ['http://[::2]', false],
      ['ws://localhost:6274', false],
      ['file://localhost', false],
      ['chrome-extension://localhost', false],
      ['localhost:6274', false],
      ['//localhost:6274', false],
      ['null', false],
      ['', false],
      [RESOURCE_ORIGIN, true],
      [APP, false],
    ])('allows %j: %p', (origin, expected) => {
      expect(policy.allows(origin)).toBe(expected);
    });
  });

  describe("with '*' among the configured origins", () => {
    const policy = new OriginPolicy(RESOURCE_ORIGIN, [APP, '*'], false);

    it.each(['https://evil.example.com', 'null', '', 'not an origin', '\r\n', 'http://localhost'])(
      'allows %j',
      (origin) => {
        expect(policy.allows(origin)).toBe(true);
      },
    );
  });

  it('keeps its own copy of the configured origins', () => {
    const origins = [APP];
    const policy = new OriginPolicy(RESOURCE_ORIGIN, origins, false);
    origins.push('https://evil.example.com', '*');
    expect(policy.allows('https://evil.example.com')).toBe(false);
    expect(policy.allows(APP)).toBe(true);
  });
});
