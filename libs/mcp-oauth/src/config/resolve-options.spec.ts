import { describe, expect, it } from '@jest/globals';
import { McpOAuthConfigError } from './mcp-oauth-config.error.js';
import type { McpOAuthModuleOptions } from './mcp-oauth.options.js';
import { resolveMcpOAuthOptions } from './resolve-options.js';
import type { ResolvedMcpOAuthOptions } from './resolved-options.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const ENV = 'https://acme.scalekit.com';
const SCALEKIT = { environmentUrl: ENV, resourceId: 'res_123' };
const JWKS = { issuer: 'https://auth.example.com/', jwksUri: 'https://auth.example.com/.well-known/jwks.json' };

/** Options as untyped input: the resolver must cope with whatever a ConfigService factory returns. */
type LooseOptions = Record<string, unknown>;

/**
 * The resolved options with the preset and verification read out flat (issuers, audiences, JWKS URI...), so each
 * assertion names the value it checks whatever variant of the union carries it.
 */
function resolve(options: LooseOptions) {
  const resolved: ResolvedMcpOAuthOptions = resolveMcpOAuthOptions(options as unknown as McpOAuthModuleOptions);
  const verification = resolved.verification;
  const rules = verification.mode === 'custom' ? undefined : verification.rules;
  const keys = verification.mode === 'jwt' ? verification.keys : undefined;
  return {
    ...resolved,
    verifier: verification.mode === 'custom' ? verification.verifier : verification.mode,
    issuers: resolved.authority.issuers,
    authorizationServers: resolved.authority.authorizationServers,
    principalNamespaces: resolved.authority.principalNamespaces,
    scalekit: resolved.authority.kind === 'scalekit' ? resolved.authority.scalekit : undefined,
    jwksUri: verification.mode === 'jwt' ? verification.jwksUri : undefined,
    audiences: rules?.audiences ?? [],
    algorithms: rules?.algorithms,
    clockToleranceSeconds: rules?.clockToleranceSeconds,
    requiredTokenType: rules?.requiredTokenType,
    jwksCooldownSeconds: keys?.cooldownSeconds,
    jwksCacheMaxAgeSeconds: keys?.cacheMaxAgeSeconds,
    jwksTimeoutMs: keys?.timeoutMs,
  };
}

function configError(options: LooseOptions | undefined): McpOAuthConfigError {
  try {
    resolveMcpOAuthOptions(options as unknown as McpOAuthModuleOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(McpOAuthConfigError);
    return error as McpOAuthConfigError;
  }
  throw new Error('expected resolveMcpOAuthOptions to throw');
}

describe('resolveMcpOAuthOptions', () => {
  describe('Scalekit preset', () => {
    it('derives the JWKS URI, issuers, audiences and authorization server', () => {
      const resolved = resolve({ resource: RESOURCE, scalekit: SCALEKIT });
      expect(resolved).toMatchObject({
        resource: RESOURCE,
        jwksUri: `${ENV}/keys`,
        issuers: [ENV, `${ENV}/resources/res_123`],
        audiences: [RESOURCE, 'res_123'],
        authorizationServers: [`${ENV}/resources/res_123`],
        scalekit: SCALEKIT,
      });
    });

    it("maps both of Scalekit's issuer spellings to one user namespace (AuthInfo.principal)", () => {
      const resolved = resolve({ resource: RESOURCE, scalekit: SCALEKIT });
      expect(resolved.principalNamespaces).toEqual({ [ENV]: ENV, [`${ENV}/resources/res_123`]: ENV });
    });

    it.each([`${ENV}/`, `${ENV}//`])('handles the trailing slashes of %s', (environmentUrl) => {
      const resolved = resolve({ resource: RESOURCE, scalekit: { environmentUrl, resourceId: 'res_123' } });
      expect(resolved.jwksUri).toBe(`${ENV}/keys`);
      expect(resolved.issuers).toEqual([ENV, `${ENV}/resources/res_123`]);
      expect(resolved.authorizationServers).toEqual([`${ENV}/resources/res_123`]);
    });

    it('keeps a path prefix of the environment URL', () => {
      const resolved = resolve({
        resource: RESOURCE,
        scalekit: { environmentUrl: 'https://sso.example.com/env/', resourceId: 'res_9' },
      });
      expect(resolved.jwksUri).toBe('https://sso.example.com/env/keys');
      expect(resolved.issuers).toEqual(['https://sso.example.com/env', 'https://sso.example.com/env/resources/res_9']);
    });

    it('lets explicit authorizationServers replace the derived one', () => {
      const resolved = resolve({
        resource: RESOURCE,
        scalekit: SCALEKIT,
        authorizationServers: ['https://as.example.com'],
      });
      expect(resolved.authorizationServers).toEqual(['https://as.example.com']);
      expect(resolved.issuers).toEqual([ENV, `${ENV}/resources/res_123`]);
    });

    it('adds additional audiences once, after the derived ones', () => {
      const resolved = resolve({
        resource: RESOURCE,
        scalekit: SCALEKIT,
        additionalAudiences: ['api://todo', 'res_123', RESOURCE, 'api://todo'],
      });
      expect(resolved.audiences).toEqual([RESOURCE, 'res_123', 'api://todo']);
    });

    it('accepts the scalekit-sdk verifier with Scalekit settings', () => {
      expect(resolve({ resource: RESOURCE, scalekit: SCALEKIT, verifier: 'scalekit-sdk' }).verifier).toBe(
        'scalekit-sdk',
      );
    });
  });

  describe('generic JWKS mode', () => {
    it('uses the issuer, the JWKS URI and the first issuer as authorization server', () => {
      const resolved = resolve({ resource: RESOURCE, jwks: JWKS });
      expect(resolved).toMatchObject({
        issuers: [JWKS.issuer],
        jwksUri: JWKS.jwksUri,
        audiences: [RESOURCE],
        authorizationServers: [JWKS.issuer],
        scalekit: undefined,
      });
    });

    it('keeps each issuer its own user namespace', () => {
      const resolved = resolve({
        resource: RESOURCE,
        jwks: { issuer: ['https://a.example.com', 'https://b.example.com'], jwksUri: JWKS.jwksUri },
      });
      expect(resolved.principalNamespaces).toEqual({
        'https://a.example.com': 'https://a.example.com',
        'https://b.example.com': 'https://b.example.com',
      });
    });

    it('accepts several issuers and advertises the first', () => {
      const resolved = resolve({
        resource: RESOURCE,
        jwks: { issuer: ['https://a.example.com', 'https://b.example.com'], jwksUri: JWKS.jwksUri },
      });
      expect(resolved.issuers).toEqual(['https://a.example.com', 'https://b.example.com']);
      expect(resolved.authorizationServers).toEqual(['https://a.example.com']);
    });

    it('accepts a custom verifier object', () => {
      const verifier = {
        verify: async () => {
          throw new Error('unused');
        },
      };
      expect(resolve({ resource: RESOURCE, jwks: JWKS, verifier }).verifier).toBe(verifier);
    });
  });

  describe('defaults and derived resource fields', () => {
    const resolved = resolve({ resource: RESOURCE, scalekit: SCALEKIT });

    it('applies the documented defaults', () => {
      expect(resolved).toMatchObject({
        verifier: 'jwt',
        algorithms: ['RS256'],
        clockToleranceSeconds: 30,
        jwksCooldownSeconds: 30,
        jwksCacheMaxAgeSeconds: 600,
        jwksTimeoutMs: 5000,
        requiredTokenType: undefined,
        scopeHierarchy: {},
        toolScopes: {},
        scopesSupported: [],
        resourceName: undefined,
        resourceDocumentation: undefined,
        allowedOrigins: [],
        allowLoopbackOrigins: false,
        unknownTools: 'deny',
        tokenCache: { maxEntries: 10_000, ttlSeconds: 60 },
        authFailureLimit: undefined,
      });
    });

    it('derives the path and origin of the resource', () => {
      expect(resolved.mcpPath).toBe('/mcp');
      expect(resolved.resourceOrigin).toBe('https://mcp.example.com');
    });

    it('keeps the resource exactly as configured (no normalisation)', () => {
      const resource = 'https://mcp.example.com/mcp/';
      const result = resolve({ resource, scalekit: SCALEKIT });
      expect(result.resource).toBe(resource);
      expect(result.audiences[0]).toBe(resource);
    });

    it('keeps valid scope maps and drops offline_access from scopesSupported', () => {
      const result = resolve({
        resource: RESOURCE,
        scalekit: SCALEKIT,
        scopeHierarchy: { 'todo:write': ['todo:read'] },
        toolScopes: { create_todo: ['todo:write'], whoami: [] },
        scopesSupported: ['todo:read', 'offline_access'],
      });
      expect(result.scopeHierarchy).toEqual({ 'todo:write': ['todo:read'] });
      expect(result.toolScopes).toEqual({ create_todo: ['todo:write'], whoami: [] });
      expect(result.scopesSupported).toEqual(['todo:read']);
    });

    it.each([0, 300])('accepts a clock tolerance of %s seconds', (clockToleranceSeconds) => {
      expect(resolve({ resource: RESOURCE, scalekit: SCALEKIT, clockToleranceSeconds }).clockToleranceSeconds).toBe(
        clockToleranceSeconds,
      );
    });

    it('accepts every asymmetric algorithm it lists', () => {
      const algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
      expect(resolve({ resource: RESOURCE, scalekit: SCALEKIT, algorithms }).algorithms).toEqual(algorithms);
    });
  });

  describe('http authorization-server URLs on loopback hosts', () => {
    it.each([
      'http://localhost:8080',
      'http://LOCALHOST:8080',
      'http://auth.localhost',
      'http://127.0.0.1:9000',
      'http://127.10.20.30',
      'http://[::1]:9000',
    ])('accepts %s as Scalekit environment and JWKS issuer/URI', (url) => {
      const scalekit = resolve({
        resource: 'http://localhost:3000/mcp',
        scalekit: { environmentUrl: url, resourceId: 'res_1' },
      });
      expect(scalekit.jwksUri).toBe(`${new URL(url).origin}/keys`);
      const jwks = resolve({ resource: 'http://localhost:3000/mcp', jwks: { issuer: url, jwksUri: `${url}/jwks` } });
      expect(jwks.issuers).toEqual([url]);
      expect(jwks.authorizationServers).toEqual([url]);
    });
  });

  describe('validation: one McpOAuthConfigError naming the option', () => {
    it.each<[string, LooseOptions, string]>([
      ['a missing resource', { scalekit: SCALEKIT }, 'resource'],
      ['an empty resource', { resource: '  ', scalekit: SCALEKIT }, 'resource'],
      ['a resource without scheme', { resource: 'mcp.example.com/mcp', scalekit: SCALEKIT }, 'resource'],
      ['a resource host:port without scheme', { resource: 'localhost:3000/mcp', scalekit: SCALEKIT }, 'resource'],
      ['a relative resource', { resource: '/mcp', scalekit: SCALEKIT }, 'resource'],
      ['a non-http resource', { resource: 'ftp://mcp.example.com/mcp', scalekit: SCALEKIT }, 'resource'],
      ['a resource with a fragment', { resource: `${RESOURCE}#section`, scalekit: SCALEKIT }, 'resource'],
      ['a resource with an empty fragment', { resource: `${RESOURCE}#`, scalekit: SCALEKIT }, 'resource'],
      ['a resource with a query (RFC 8707 §2)', { resource: `${RESOURCE}?tenant=1`, scalekit: SCALEKIT }, 'resource'],
      [
        'an http Scalekit environment on a non-loopback host',
        { resource: RESOURCE, scalekit: { environmentUrl: 'http://auth.example.com', resourceId: 'res_1' } },
        'scalekit.environmentUrl',
      ],
      [
        'a host that only starts with localhost',
        { resource: RESOURCE, scalekit: { environmentUrl: 'http://localhost.evil.com', resourceId: 'res_1' } },
        'scalekit.environmentUrl',
      ],
      [
        'a host that only starts with 127.0.0.1',
        { resource: RESOURCE, scalekit: { environmentUrl: 'http://127.0.0.1.evil.com', resourceId: 'res_1' } },
        'scalekit.environmentUrl',
      ],
      [
        'http on 0.0.0.0',
        { resource: RESOURCE, scalekit: { environmentUrl: 'http://0.0.0.0:8080', resourceId: 'res_1' } },
        'scalekit.environmentUrl',
      ],
      [
        'a missing Scalekit environment',
        { resource: RESOURCE, scalekit: { resourceId: 'res_1' } },
        'scalekit.environmentUrl',
      ],
      [
        'a missing Scalekit resource id',
        { resource: RESOURCE, scalekit: { environmentUrl: ENV } },
        'scalekit.resourceId',
      ],
      [
        'a malformed Scalekit resource id',
        { resource: RESOURCE, scalekit: { environmentUrl: ENV, resourceId: 'res 1/x' } },
        'scalekit.resourceId',
      ],
      [
        'an http JWKS issuer on a non-loopback host',
        { resource: RESOURCE, jwks: { ...JWKS, issuer: 'http://auth.example.com' } },
        'jwks.issuer',
      ],
      ['an empty JWKS issuer list', { resource: RESOURCE, jwks: { ...JWKS, issuer: [] } }, 'jwks.issuer'],
      [
        'a bad second JWKS issuer',
        { resource: RESOURCE, jwks: { ...JWKS, issuer: ['https://a.example.com', 'http://b.example.com'] } },
        'jwks.issuer[1]',
      ],
      [
        'an http JWKS URI on a non-loopback host',
        { resource: RESOURCE, jwks: { ...JWKS, jwksUri: 'http://auth.example.com/jwks' } },
        'jwks.jwksUri',
      ],
      [
        'an http authorization server on a non-loopback host',
        { resource: RESOURCE, scalekit: SCALEKIT, authorizationServers: ['http://auth.example.com'] },
        'authorizationServers[0]',
      ],
      [
        'an empty authorizationServers list',
        { resource: RESOURCE, scalekit: SCALEKIT, authorizationServers: [] },
        'authorizationServers',
      ],
      ['neither scalekit nor jwks', { resource: RESOURCE }, 'scalekit / jwks'],
      [
        'a custom verifier without any authorization server',
        { resource: RESOURCE, verifier: { verify: async () => undefined } },
        'authorizationServers',
      ],
      [
        'an empty additional audience',
        { resource: RESOURCE, scalekit: SCALEKIT, additionalAudiences: [''] },
        'additionalAudiences[0]',
      ],
      [
        'a blank additional audience',
        { resource: RESOURCE, scalekit: SCALEKIT, additionalAudiences: ['api://x', '  '] },
        'additionalAudiences[1]',
      ],
      ['an unknown verifier string', { resource: RESOURCE, scalekit: SCALEKIT, verifier: 'jose' }, 'verifier'],
      [
        'a verifier object without verify()',
        { resource: RESOURCE, scalekit: SCALEKIT, verifier: { check: () => 1 } },
        'verifier',
      ],
      [
        'the scalekit-sdk verifier without Scalekit settings',
        { resource: RESOURCE, jwks: JWKS, verifier: 'scalekit-sdk' },
        'verifier',
      ],
      [
        'HS256 among the algorithms',
        { resource: RESOURCE, scalekit: SCALEKIT, algorithms: ['RS256', 'HS256'] },
        'algorithms',
      ],
      ['the none algorithm', { resource: RESOURCE, scalekit: SCALEKIT, algorithms: ['none'] }, 'algorithms'],
      ['an empty algorithm list', { resource: RESOURCE, scalekit: SCALEKIT, algorithms: [] }, 'algorithms'],
      [
        'a negative clock tolerance',
        { resource: RESOURCE, scalekit: SCALEKIT, clockToleranceSeconds: -1 },
        'clockToleranceSeconds',
      ],
      [
        'a clock tolerance above 300 s',
        { resource: RESOURCE, scalekit: SCALEKIT, clockToleranceSeconds: 301 },
        'clockToleranceSeconds',
      ],
      [
        'a NaN clock tolerance',
        { resource: RESOURCE, scalekit: SCALEKIT, clockToleranceSeconds: Number.NaN },
        'clockToleranceSeconds',
      ],
      [
        'a string clock tolerance',
        { resource: RESOURCE, scalekit: SCALEKIT, clockToleranceSeconds: '30' },
        'clockToleranceSeconds',
      ],
      [
        'toolScopes as an array',
        { resource: RESOURCE, scalekit: SCALEKIT, toolScopes: [['create_todo', 'todo:write']] },
        'toolScopes',
      ],
      [
        'toolScopes as a string',
        { resource: RESOURCE, scalekit: SCALEKIT, toolScopes: 'create_todo=todo:write' },
        'toolScopes',
      ],
      ['toolScopes as null', { resource: RESOURCE, scalekit: SCALEKIT, toolScopes: null }, 'toolScopes'],
      [
        'a toolScopes entry that is a string',
        { resource: RESOURCE, scalekit: SCALEKIT, toolScopes: { create_todo: 'todo:write' } },
        'toolScopes.create_todo',
      ],
      [
        'a toolScopes entry with a space-separated scope',
        { resource: RESOURCE, scalekit: SCALEKIT, toolScopes: { create_todo: ['todo:read todo:write'] } },
        'toolScopes.create_todo',
      ],
      [
        'a toolScopes entry with a non-string scope',
        { resource: RESOURCE, scalekit: SCALEKIT, toolScopes: { create_todo: [42] } },
        'toolScopes.create_todo',
      ],
      [
        'a scopeHierarchy entry with a quoted scope',
        { resource: RESOURCE, scalekit: SCALEKIT, scopeHierarchy: { 'todo:write': ['"todo:read"'] } },
        'scopeHierarchy.todo:write',
      ],
      [
        'an invalid scopesSupported entry',
        { resource: RESOURCE, scalekit: SCALEKIT, scopesSupported: ['a b'] },
        'scopesSupported',
      ],
      [
        'a resourceDocumentation without scheme',
        { resource: RESOURCE, scalekit: SCALEKIT, resourceDocumentation: 'docs.example.com' },
        'resourceDocumentation',
      ],
      [
        'an allowed origin with a path',
        { resource: RESOURCE, scalekit: SCALEKIT, allowedOrigins: ['https://app.example.com/path'] },
        'allowedOrigins',
      ],
    ])('rejects %s', (_name, options, optionName) => {
      const error = configError(options);
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0].startsWith(`${optionName}:`) || error.problems[0].startsWith(`${optionName} (`)).toBe(
        true,
      );
      expect(error.message).toContain(optionName);
      expect(error.message.startsWith('McpOAuthModule configuration error:')).toBe(true);
    });

    it.each<[string, unknown]>([
      ['undefined', undefined],
      ['null', null],
      ['a string', 'https://mcp.example.com/mcp'],
    ])('rejects %s instead of an options object', (_name, options) => {
      const error = configError(options as LooseOptions);
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(/^options:/);
    });

    it('reports several problems together in one error, one line each', () => {
      const error = configError({
        resource: 'mcp.example.com',
        scalekit: { environmentUrl: 'http://auth.example.com', resourceId: 'res_1' },
        algorithms: ['HS256'],
        clockToleranceSeconds: 1000,
        toolScopes: { create_todo: 'todo:write' },
      });
      const named = error.problems.map((problem) => problem.split(':')[0]);
      expect(named).toEqual([
        'resource',
        'scalekit.environmentUrl',
        'algorithms',
        'clockToleranceSeconds',
        'toolScopes.create_todo',
      ]);
      expect(error.message.split('\n')).toHaveLength(1 + error.problems.length);
      for (const problem of error.problems) expect(error.message).toContain(`\n  - ${problem}`);
    });
  });
});
