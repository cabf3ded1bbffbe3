import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, type INestApplication, Injectable, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { McpOAuthGuard, type McpOAuthModuleExtras, McpOAuthModule, type McpOAuthModuleOptions } from 'nestjs-mcp-oauth';
import { LocalIssuer, parseBearerChallenge } from 'nestjs-mcp-oauth/testing';
import { freePort } from './support/free-port.js';

/** Counts failures per `X-Tenant` header instead of per client address (an override of a protected hook). */
@Injectable()
class TenantGuard extends McpOAuthGuard {
  protected override clientAddress(request: Parameters<McpOAuthGuard['clientAddress']>[0]): string {
    const tenant = request.headers['x-tenant'];
    return typeof tenant === 'string' ? `tenant:${tenant}` : super.clientAddress(request);
  }

  protected override requiredScopes(routeScopes: readonly string[], tools: readonly string[]): readonly string[] {
    return [...super.requiredScopes(routeScopes, tools), 'api'];
  }
}

@Controller()
class RoutesController {
  @Get('open-unless-guarded')
  open() {
    return { ran: true };
  }

  @UseGuards(McpOAuthGuard)
  @Get('guarded')
  guarded() {
    return { ran: true };
  }
}

async function boot(
  issuer: LocalIssuer,
  extras: McpOAuthModuleExtras,
  options: Partial<McpOAuthModuleOptions> = {},
): Promise<{ app: INestApplication; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  @Module({
    imports: [
      McpOAuthModule.forRoot({
        resource: `${base}/mcp`,
        jwks: { issuer: issuer.url, jwksUri: issuer.jwksUri },
        eventLog: false,
        ...options,
        ...extras,
      }),
    ],
    controllers: [RoutesController],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.listen(port, '127.0.0.1');
  return { app, base };
}

describe('registering your own guard, or none (McpOAuthModule extras)', () => {
  let issuer: LocalIssuer;
  const apps: INestApplication[] = [];
  const token = (base: string, scopes: string[]) =>
    issuer.mintToken({ audience: `${base}/mcp`, scopes, scopeClaim: 'scope' });

  beforeAll(async () => {
    issuer = await LocalIssuer.start();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await issuer.stop();
  });

  it('guard: a subclass is registered as the global guard and its protected hooks are used', async () => {
    const { app, base } = await boot(issuer, { guard: TenantGuard }, { authFailureLimit: { limit: 2 } });
    apps.push(app);
    // requiredScopes override: every route needs `api` too.
    const missing = await fetch(`${base}/open-unless-guarded`, {
      headers: { authorization: `Bearer ${token(base, [])}` },
    });
    expect(missing.status).toBe(403);
    expect(parseBearerChallenge(missing.headers.get('www-authenticate'))?.scope).toBe('api');
    expect(
      (await fetch(`${base}/open-unless-guarded`, { headers: { authorization: `Bearer ${token(base, ['api'])}` } }))
        .status,
    ).toBe(200);
    // clientAddress override: failures count per tenant, not per address.
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await fetch(`${base}/open-unless-guarded`, { headers: { authorization: 'Bearer junk', 'x-tenant': 'a' } });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const blocked = await fetch(`${base}/open-unless-guarded`, {
      headers: { authorization: `Bearer ${token(base, ['api'])}`, 'x-tenant': 'a' },
    });
    expect(blocked.status).toBe(429);
    const otherTenant = await fetch(`${base}/open-unless-guarded`, {
      headers: { authorization: `Bearer ${token(base, ['api'])}`, 'x-tenant': 'b' },
    });
    expect(otherTenant.status).toBe(200);
  });

  it('guard: false registers no global guard; McpOAuthGuard applied with @UseGuards still works', async () => {
    const { app, base } = await boot(issuer, { guard: false });
    apps.push(app);
    expect((await fetch(`${base}/open-unless-guarded`)).status).toBe(200);
    const anonymous = await fetch(`${base}/guarded`);
    expect(anonymous.status).toBe(401);
    expect(parseBearerChallenge(anonymous.headers.get('www-authenticate'))).toEqual({
      resource_metadata: `${base}/.well-known/oauth-protected-resource/mcp`,
    });
    expect((await fetch(`${base}/guarded`, { headers: { authorization: `Bearer ${token(base, [])}` } })).status).toBe(
      200,
    );
    // The metadata is still served.
    expect((await fetch(`${base}/.well-known/oauth-protected-resource/mcp`)).status).toBe(200);
  });

  it('dangerouslyDisableAuthForBenchmarks registers the bypass instead of the guard (no token needed)', async () => {
    const { app, base } = await boot(issuer, {}, { dangerouslyDisableAuthForBenchmarks: true });
    apps.push(app);
    expect((await fetch(`${base}/open-unless-guarded`)).status).toBe(200);
  });
});
