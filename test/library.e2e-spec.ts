import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, type INestApplication, Module, Post } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import {
  type AuthInfo,
  McpAuth,
  McpOAuthConfigError,
  type McpOAuthEvent,
  McpOAuthModule,
  McpTool,
  Public,
  RequireScopes,
  SCALEKIT_CLIENT,
  TOKEN_VERIFIER,
} from 'nestjs-mcp-oauth';
import { LocalIssuer, parseBearerChallenge } from 'nestjs-mcp-oauth/testing';
import { freePort } from './support/free-port.js';
import { postMcp, toolCall } from './support/mcp-requests.js';

@RequireScopes('reports:read')
@Controller('reports')
class ReportsController {
  @Get()
  list(@McpAuth() auth: AuthInfo) {
    return { subject: auth.subject, keys: Object.keys(auth).sort() };
  }

  @Post()
  @RequireScopes('reports:write')
  create() {
    return { created: true };
  }

  @Public()
  @Get('public')
  open(@McpAuth() auth: AuthInfo | undefined) {
    return { authenticated: auth !== undefined };
  }
}

@Controller('mcp')
class FakeMcpController {
  @Post()
  handle(@McpAuth() auth: AuthInfo) {
    return { ran: true, subject: auth.subject };
  }
}

class AdminTools {
  @McpTool('purge')
  @RequireScopes('admin')
  purge() {
    return 'purged';
  }
}

async function boot(module: object, port: number): Promise<INestApplication> {
  const app = await NestFactory.create(module as never, { logger: false, abortOnError: false });
  await app.listen(port, '127.0.0.1');
  return app;
}

describe('nestjs-mcp-oauth in an app of its own (generic JWKS verifier, forRootAsync + ConfigModule)', () => {
  let issuer: LocalIssuer;
  let app: INestApplication;
  let base: string;
  let resource: string;

  beforeAll(async () => {
    issuer = await LocalIssuer.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    resource = `${base}/mcp`;
    process.env.LIB_E2E_RESOURCE = resource;
    process.env.LIB_E2E_ISSUER = issuer.url;

    @Module({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true }),
        McpOAuthModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            resource: config.getOrThrow<string>('LIB_E2E_RESOURCE'),
            jwks: {
              issuer: config.getOrThrow<string>('LIB_E2E_ISSUER'),
              jwksUri: `${config.getOrThrow<string>('LIB_E2E_ISSUER')}/keys`,
            },
            scopeHierarchy: { 'reports:write': ['reports:read'], admin: ['reports:write'] },
            toolScopes: { export_reports: ['reports:read', 'exports'] },
          }),
        }),
      ],
      controllers: [ReportsController, FakeMcpController],
      providers: [AdminTools],
    })
    class FixtureModule {}
    app = await boot(FixtureModule, port);
  });

  afterAll(async () => {
    await app?.close();
    await issuer?.stop();
  });

  const bearer = (scopes: string[]) => ({
    authorization: `Bearer ${issuer.mintToken({ audience: resource, scopes, scopeClaim: 'scope' })}`,
  });

  it('class and method @RequireScopes add up: the 403 names both', async () => {
    const response = await fetch(`${base}/reports`, { method: 'POST', headers: bearer([]) });
    expect(response.status).toBe(403);
    expect(parseBearerChallenge(response.headers.get('www-authenticate'))?.scope?.split(' ').sort()).toEqual([
      'reports:read',
      'reports:write',
    ]);
  });

  it('the hierarchy satisfies both from one scope, transitively', async () => {
    expect((await fetch(`${base}/reports`, { method: 'POST', headers: bearer(['reports:write']) })).status).toBe(201);
    expect((await fetch(`${base}/reports`, { method: 'POST', headers: bearer(['admin']) })).status).toBe(201);
  });

  it('@McpAuth gives the handler AuthInfo without the raw token', async () => {
    const response = await fetch(`${base}/reports`, { headers: bearer(['reports:read']) });
    expect(await response.json()).toEqual({
      subject: 'user-1',
      keys: ['audience', 'claims', 'clientId', 'expiresAt', 'issuer', 'principal', 'scopes', 'subject'],
    });
  });

  it('@Public routes need no token', async () => {
    expect(await (await fetch(`${base}/reports/public`)).json()).toEqual({ authenticated: false });
  });

  it('tool scopes from @McpTool + @RequireScopes and from the toolScopes option gate tools/call before the handler runs', async () => {
    const purge = await postMcp(resource, toolCall('purge'), bearer(['reports:write']));
    expect(purge.status).toBe(403);
    expect(parseBearerChallenge(purge.headers.get('www-authenticate'))?.scope).toBe('admin');
    expect(await purge.text()).not.toContain('ran');

    const exportCall = await postMcp(resource, toolCall('export_reports'), bearer(['reports:read']));
    expect(exportCall.status).toBe(403);
    expect(parseBearerChallenge(exportCall.headers.get('www-authenticate'))?.scope?.split(' ').sort()).toEqual([
      'exports',
      'reports:read',
    ]);

    expect((await postMcp(resource, toolCall('purge'), bearer(['admin']))).status).toBe(201);
  });

  it('scopes_supported is derived from decorators, toolScopes and the hierarchy', async () => {
    const metadata = (await (await fetch(`${base}/.well-known/oauth-protected-resource/mcp`)).json()) as {
      scopes_supported: string[];
      authorization_servers: string[];
    };
    expect(metadata.scopes_supported).toEqual(['admin', 'exports', 'reports:read', 'reports:write']);
    expect(metadata.authorization_servers).toEqual([issuer.url]);
  });

  it('offers no Scalekit client without Scalekit settings', () => {
    expect(app.get(SCALEKIT_CLIENT)).toBeNull();
  });
});

describe('options are validated at boot', () => {
  it.each([
    [
      {
        resource: 'mcp.example.com/mcp',
        jwks: { issuer: 'https://as.example.com', jwksUri: 'https://as.example.com/keys' },
      },
      'resource',
    ],
    [
      {
        resource: 'https://mcp.example.com/mcp#x',
        jwks: { issuer: 'https://as.example.com', jwksUri: 'https://as.example.com/keys' },
      },
      'fragment',
    ],
    [
      {
        resource: 'https://mcp.example.com/mcp',
        scalekit: { environmentUrl: 'http://acme.scalekit.com', resourceId: 'res_1' },
      },
      'scalekit.environmentUrl',
    ],
    [
      {
        resource: 'https://mcp.example.com/mcp',
        jwks: { issuer: 'https://as.example.com', jwksUri: 'https://as.example.com/keys' },
        additionalAudiences: [''],
      },
      'additionalAudiences',
    ],
    [
      {
        resource: 'https://mcp.example.com/mcp',
        jwks: { issuer: 'https://as.example.com', jwksUri: 'https://as.example.com/keys' },
        verifier: 'magic',
      },
      'verifier',
    ],
  ])('%j fails naming %s', async (options, expected) => {
    @Module({ imports: [McpOAuthModule.forRoot(options as never)] })
    class BadModule {}
    const failure = await NestFactory.create(BadModule, { logger: false, abortOnError: false }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(McpOAuthConfigError);
    expect((failure as Error).message).toContain(expected);
  });
});

describe('a custom TokenVerifier and a resource at the root', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    @Module({
      imports: [
        McpOAuthModule.forRoot({
          resource: base,
          authorizationServers: ['https://as.example.com'],
          verifier: {
            verify: async (token: string) => {
              if (token !== 'opaque-good-token') throw new Error('unknown token');
              return {
                subject: 'svc',
                principal: 'x#svc',
                clientId: undefined,
                scopes: [],
                expiresAt: 0,
                audience: [base],
                issuer: 'x',
                claims: {},
              };
            },
          },
        }),
      ],
      controllers: [FakeMcpController],
    })
    class CustomModule {}
    app = await boot(CustomModule, port);
  });
  afterAll(() => app?.close());

  it('uses the custom verifier; its unexpected errors become 401 invalid_token, never 500', async () => {
    expect((await postMcp(`${base}/mcp`, {}, { authorization: 'Bearer opaque-good-token' })).status).toBe(201);
    const bad = await postMcp(`${base}/mcp`, {}, { authorization: 'Bearer opaque-bad-token' });
    expect(bad.status).toBe(401);
    expect(parseBearerChallenge(bad.headers.get('www-authenticate'))).toMatchObject({
      error: 'invalid_token',
      resource_metadata: `${base}/.well-known/oauth-protected-resource`,
    });
    expect(app.get(TOKEN_VERIFIER)).toBeDefined();
  });

  it('serves the metadata at the root for a root resource', async () => {
    const response = await fetch(`${base}/.well-known/oauth-protected-resource`);
    expect(((await response.json()) as { resource: string }).resource).toBe(base);
  });
});

describe('the onAuthEvent hook', () => {
  let issuer: LocalIssuer;
  let app: INestApplication;
  let base: string;
  const seen: McpOAuthEvent[] = [];

  beforeAll(async () => {
    issuer = await LocalIssuer.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    @Module({
      imports: [
        McpOAuthModule.forRoot({
          resource: `${base}/mcp`,
          jwks: { issuer: issuer.url, jwksUri: issuer.jwksUri },
          onAuthEvent: (event) => {
            seen.push(event);
            // Both ways a hook can fail: a rejected promise (async hook) and a synchronous throw.
            if (event.type === 'denied') return Promise.reject(new Error('a broken async hook must not crash the app'));
            throw new Error('a broken hook must not break requests');
          },
        }),
      ],
      controllers: [FakeMcpController],
      providers: [AdminTools],
    })
    class HookModule {}
    app = await boot(HookModule, port);
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.stop();
  });

  it('receives structured events (never a token), and a failing hook, sync or async, changes no response', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const valid = issuer.mintToken({ audience: `${base}/mcp`, scopes: ['admin'] });
    expect((await postMcp(`${base}/mcp`, toolCall('purge'), { authorization: `Bearer ${valid}` })).status).toBe(201);
    expect((await postMcp(`${base}/mcp`, toolCall('purge'), { authorization: 'Bearer x.y.z' })).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
    expect((await postMcp(`${base}/mcp`, toolCall('purge'), { authorization: `Bearer ${valid}` })).status).toBe(201);
    const types = seen.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['keys_refreshed', 'tool_call', 'denied']));
    expect(seen.find((event) => event.type === 'tool_call')).toMatchObject({
      tool: 'purge',
      outcome: 'completed',
      status: 201,
    });
    expect(JSON.stringify(seen)).not.toContain(valid.split('.')[1].slice(0, 16));
  });
});
