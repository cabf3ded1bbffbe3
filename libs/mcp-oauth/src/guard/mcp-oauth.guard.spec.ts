import { describe, expect, it } from '@jest/globals';
import { type ExecutionContext, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { AuthInfo } from '../auth/auth-info.js';
import { resolveMcpOAuthOptions } from '../config/resolve-options.js';
import type { McpOAuthEvent } from '../events/mcp-oauth-event.js';
import { AuthorizationServerUnavailableError, InvalidTokenError } from '../errors/failures.js';
import { McpOAuthEvents } from '../events/mcp-oauth-events.js';
import type { McpOAuthRequest } from '../http/http-request.js';
import { FailedAuthenticationLimiter } from '../limiter/failed-authentication-limiter.js';
import { ToolScopeRegistry } from '../mcp/tool-scope.registry.js';
import { Public } from '../scopes/public.decorator.js';
import { RequireScopes } from '../scopes/require-scopes.decorator.js';
import { parseBearerChallenge } from '../testing/parse-bearer-challenge.js';
import { VerifiedTokenCache } from '../verify/verified-token-cache.js';
import { McpOAuthGuard } from './mcp-oauth.guard.js';

@RequireScopes('base')
class FakeController {
  @RequireScopes('extra')
  guarded() {}

  plain() {}

  @Public()
  open() {}
}

class OpenBase {
  handle() {}
}

@RequireScopes('admin')
class AdminChild extends OpenBase {}

const RESOURCE = 'https://mcp.example.com/mcp';
const METADATA = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';

function authInfo(scopes: string[]): AuthInfo {
  return {
    subject: 'u1',
    principal: 'https://as#u1',
    clientId: 'c1',
    scopes,
    expiresAt: 9e9,
    audience: [RESOURCE],
    issuer: 'https://as',
    claims: {},
  };
}

/** A guard wired as the module wires it, around a verifier that maps token strings to outcomes. */
function setUp(
  tokens: Record<string, AuthInfo | Error>,
  options: { limit?: number; unknownTools?: 'deny' | 'allow'; allowedOrigins?: string[] } = {},
) {
  const resolved = resolveMcpOAuthOptions({
    resource: RESOURCE,
    jwks: { issuer: 'https://as.example.com', jwksUri: 'https://as.example.com/jwks' },
    scopeHierarchy: { admin: ['extra', 'base', 'todo:write'] },
    toolScopes: { create_todo: ['todo:write'] },
    authFailureLimit: options.limit ? { limit: options.limit } : undefined,
    unknownTools: options.unknownTools,
    allowedOrigins: options.allowedOrigins,
  });
  const events: McpOAuthEvent[] = [];
  const verified: string[] = [];
  const verifier = {
    verify: async (token: string) => {
      verified.push(token);
      const outcome = tokens[token] ?? new InvalidTokenError('malformed', 'The access token is malformed.');
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
  const registry = new ToolScopeRegistry();
  registry.register('create_todo', ['todo:write']);
  const limiter = options.limit
    ? new FailedAuthenticationLimiter(new ThrottlerStorageService(), {
        limit: options.limit,
        windowSeconds: 60,
        onStorageError: () => undefined,
      })
    : null;
  // As the module wires it: with the limiter on, a cache remembers which tokens verified (serving no hits here).
  const memory = limiter
    ? new VerifiedTokenCache(verifier, { maxEntries: 100, maxTtlSeconds: 60, serveHits: false })
    : null;
  const guard = new McpOAuthGuard(
    new Reflector(),
    resolved,
    memory ?? verifier,
    registry,
    new McpOAuthEvents(undefined, (event) => void events.push(event)),
    limiter,
    memory,
  );
  return { guard, events, verified };
}

function call(
  guard: McpOAuthGuard,
  request: { method?: string; headers?: Record<string, string>; url?: string; body?: unknown; ip?: string },
  handler: keyof FakeController = 'guarded',
) {
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] ??= String(JSON.stringify(request.body).length);
  }
  const req: McpOAuthRequest = {
    method: request.method ?? 'POST',
    url: request.url ?? '/mcp',
    headers,
    rawHeaders: Object.entries(headers).flat(),
    body: request.body,
    ip: request.ip ?? '10.0.0.1',
  };
  const responseHeaders: Record<string, string> = {};
  const response = {
    statusCode: 200,
    setHeader: (name: string, value: string) => (responseHeaders[name.toLowerCase()] = value),
    once: () => undefined,
  };
  const context = {
    getType: () => 'http',
    getHandler: () => FakeController.prototype[handler],
    getClass: () => FakeController,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => response }),
  } as unknown as ExecutionContext;
  const outcome = guard.canActivate(context).then(
    (allowed) => ({ allowed, status: 200, error: undefined as unknown }),
    (error: unknown) => ({ allowed: false, status: error instanceof HttpException ? error.getStatus() : -1, error }),
  );
  return outcome.then((result) => ({
    ...result,
    req,
    headers: responseHeaders,
    challenge: parseBearerChallenge(responseHeaders['www-authenticate']),
  }));
}

describe('McpOAuthGuard', () => {
  it('lets @Public() routes through without a token', async () => {
    const { guard, verified } = setUp({});
    expect((await call(guard, {}, 'open')).allowed).toBe(true);
    expect(verified).toEqual([]);
  });

  it('challenges OPTIONS on a guarded route, even dressed as a preflight (it would run an @All handler)', async () => {
    const { guard } = setUp({});
    expect((await call(guard, { method: 'OPTIONS' })).status).toBe(401);
    const forged = {
      method: 'OPTIONS',
      headers: { origin: 'https://mcp.example.com', 'access-control-request-method': 'POST' },
    };
    expect((await call(guard, forged)).status).toBe(401);
    const foreign = { ...forged, headers: { ...forged.headers, origin: 'https://app.example' } };
    expect((await call(guard, foreign)).status).toBe(403);
  });

  it('keeps the scopes of controllers sharing an inherited handler apart', async () => {
    const { guard } = setUp({ base: authInfo([]) });
    const asClass = (controller: object) =>
      ({
        getType: () => 'http',
        getHandler: () => OpenBase.prototype.handle,
        getClass: () => controller,
        switchToHttp: () => ({
          getRequest: () => ({
            method: 'POST',
            url: '/x',
            headers: { authorization: 'Bearer base' },
            rawHeaders: ['authorization', 'Bearer base'],
            ip: '1.1.1.1',
          }),
          getResponse: () => ({ statusCode: 200, setHeader: () => undefined, once: () => undefined }),
        }),
      }) as unknown as ExecutionContext;
    await expect(guard.canActivate(asClass(OpenBase))).resolves.toBe(true);
    await expect(guard.canActivate(asClass(AdminChild))).rejects.toMatchObject({ status: 403 });
    await expect(guard.canActivate(asClass(OpenBase))).resolves.toBe(true);
  });

  it('401 without error and with the route scopes when no credentials are sent', async () => {
    const { guard } = setUp({});
    const result = await call(guard, {});
    expect(result.status).toBe(401);
    expect(result.challenge).toEqual({ scope: 'extra base', resource_metadata: METADATA });
  });

  it('attaches AuthInfo when the token has every scope; class and method scopes add up', async () => {
    const { guard } = setUp({ good: authInfo(['base', 'extra']), partial: authInfo(['base']) });
    const ok = await call(guard, { headers: { authorization: 'Bearer good' } });
    expect(ok.allowed).toBe(true);
    expect(ok.req.auth?.subject).toBe('u1');
    const denied = await call(guard, { headers: { authorization: 'Bearer partial' } });
    expect(denied.status).toBe(403);
    expect(denied.challenge).toMatchObject({
      error: 'insufficient_scope',
      scope: 'extra base',
      resource_metadata: METADATA,
    });
  });

  it('applies the hierarchy and adds the scopes of the tool named in a tools/call', async () => {
    const { guard } = setUp({ admin: authInfo(['admin']), reader: authInfo(['base', 'extra']) });
    const body = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'create_todo', arguments: {} } };
    expect((await call(guard, { headers: { authorization: 'Bearer admin' }, body })).allowed).toBe(true);
    const denied = await call(guard, { headers: { authorization: 'Bearer reader' }, body });
    expect(denied.status).toBe(403);
    expect(denied.challenge?.scope?.split(' ').sort()).toEqual(['base', 'extra', 'todo:write']);
  });

  it('401 invalid_token with a description for a refused token; 400 for a query token; 503 with Retry-After', async () => {
    const { guard } = setUp({ down: new AuthorizationServerUnavailableError(7) });
    const invalid = await call(guard, { headers: { authorization: 'Bearer nope' } });
    expect(invalid.status).toBe(401);
    expect(invalid.challenge).toMatchObject({
      error: 'invalid_token',
      error_description: 'The access token is malformed.',
    });
    const query = await call(guard, { url: '/mcp?access_token=abc' });
    expect(query.status).toBe(400);
    expect(query.challenge?.error).toBe('invalid_request');
    const unavailable = await call(guard, { headers: { authorization: 'Bearer down' } });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('7');
    expect(unavailable.headers['www-authenticate']).toBeUndefined();
  });

  it('treats an unexpected verifier error as an invalid token (fail closed), never a 500', async () => {
    const { guard } = setUp({ boom: new TypeError('verifier bug') });
    const result = await call(guard, { headers: { authorization: 'Bearer boom' } });
    expect(result.status).toBe(401);
    expect(result.challenge?.error).toBe('invalid_token');
  });

  it("answers its own X-Request-Id and records the caller's safe one beside it in events", async () => {
    const { guard, events } = setUp({});
    const result = await call(guard, { headers: { authorization: 'Bearer bad', 'x-request-id': 'abc-123' } });
    const correlationId = result.headers['x-request-id'];
    expect(correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(result.req.correlationId).toBe(correlationId);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'denied', correlationId, clientRequestId: 'abc-123', reason: 'malformed' }),
    );
    const unsafe = await call(guard, { headers: { 'x-request-id': 'bad id\r\nx: y' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.at(-1)).toMatchObject({ clientRequestId: undefined });
  });

  it('blocks an address after too many failures, before verifying, and only that address', async () => {
    const { guard, verified } = setUp({ good: authInfo(['base', 'extra']) }, { limit: 2 });
    for (let attempt = 0; attempt < 3; attempt += 1) await call(guard, { headers: { authorization: 'Bearer bad' } });
    await new Promise((resolve) => setImmediate(resolve)); // failures are counted in the background
    const before = verified.length;
    const blocked = await call(guard, { headers: { authorization: 'Bearer good' } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(verified.length).toBe(before);
    expect((await call(guard, { headers: { authorization: 'Bearer good' }, ip: '10.0.0.2' })).allowed).toBe(true);
    expect((await call(guard, {})).status).toBe(401);
  });

  it('never blocks a caller whose token verified before, whatever others from its address do', async () => {
    const { guard } = setUp({ honest: authInfo(['base', 'extra']), fresh: authInfo(['base', 'extra']) }, { limit: 2 });
    expect((await call(guard, { headers: { authorization: 'Bearer honest' } })).allowed).toBe(true);
    for (let attempt = 0; attempt < 5; attempt += 1) await call(guard, { headers: { authorization: 'Bearer bad' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect((await call(guard, { headers: { authorization: 'Bearer honest' } })).allowed).toBe(true);
    expect((await call(guard, { headers: { authorization: 'Bearer fresh' } })).status).toBe(429);
  });

  it('refuses a tools/call of a tool it does not know (403 unknown_tool, no challenge) unless told to allow it', async () => {
    const body = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'nope', arguments: {} } };
    const deny = setUp({ good: authInfo(['base', 'extra']) });
    const denied = await call(deny.guard, { headers: { authorization: 'Bearer good' }, body });
    expect(denied.status).toBe(403);
    expect((denied.error as HttpException).getResponse()).toMatchObject({ error: 'unknown_tool' });
    expect(denied.headers['www-authenticate']).toBeUndefined();
    expect(deny.verified).toEqual([]);
    const allow = setUp({ good: authInfo(['base', 'extra']) }, { unknownTools: 'allow' });
    expect((await call(allow.guard, { headers: { authorization: 'Bearer good' }, body })).allowed).toBe(true);
  });

  it('refuses, on the MCP endpoint, a body the framework did not parse as JSON (415) and a foreign Origin (403)', async () => {
    const { guard, verified } = setUp({ good: authInfo(['base', 'extra', 'todo:write']) });
    const unparsed = await call(guard, {
      headers: { authorization: 'Bearer good', 'content-type': 'application/json\u00a0', 'content-length': '80' },
    });
    expect(unparsed.status).toBe(415);
    const foreign = await call(guard, { headers: { authorization: 'Bearer good', origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect((foreign.error as HttpException).getResponse()).toMatchObject({ error: 'forbidden_origin' });
    expect(verified).toEqual([]);
    const elsewhere = await call(guard, {
      url: '/reports',
      headers: {
        authorization: 'Bearer good',
        origin: 'https://evil.example',
        'content-type': 'text/plain',
        'content-length': '3',
      },
    });
    expect(elsewhere.allowed).toBe(true);
  });
});
