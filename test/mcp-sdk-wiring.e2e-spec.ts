import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { McpServer } from '@modelcontextprotocol/server';
import { type INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { type AuthInfo, McpOAuthModule } from 'nestjs-mcp-oauth';
import { callerOf, MCP_SERVER_FACTORY, McpSdkController, type McpServerFactory } from 'nestjs-mcp-oauth/mcp-sdk';
import { LocalIssuer } from 'nestjs-mcp-oauth/testing';
import { z } from 'zod';
import { freePort } from './support/free-port.js';
import { ERAS, toolCallBody, toolCallHeaders } from './support/one-view-http.js';

/** What the tool saw of its request: the SDK's view of the caller and of the HTTP request. */
const seen: Array<Record<string, unknown>> = [];

@Injectable()
class PeekServerFactory implements McpServerFactory {
  createServer(caller: AuthInfo): McpServer {
    const server = new McpServer({ name: 'peek', version: '1.0.0' });
    server.registerTool(
      'peek',
      { description: 'What the tool can see', inputSchema: z.object({ note: z.string() }) },
      ({ note }, ctx) => {
        const view = {
          note,
          factoryCaller: caller.subject,
          sdkCaller: callerOf(ctx.http?.authInfo)?.subject,
          token: ctx.http?.authInfo?.token,
          scopes: ctx.http?.authInfo?.scopes,
          authorizationHeader: ctx.http?.req?.headers.get('authorization') ?? null,
        };
        seen.push(view);
        return { content: [{ type: 'text', text: JSON.stringify(view) }] };
      },
    );
    return server;
  }
}

type Platform = 'express' | 'fastify';

async function boot(
  issuer: LocalIssuer,
  guard: false | undefined,
  platform: Platform,
): Promise<{ app: INestApplication; mcp: string }> {
  const port = await freePort();
  const mcp = `http://127.0.0.1:${port}/mcp`;
  @Module({
    imports: [
      McpOAuthModule.forRoot({
        resource: mcp,
        jwks: { issuer: issuer.url, jwksUri: issuer.jwksUri },
        toolScopes: { peek: ['peek:run'] },
        eventLog: false,
        ...(guard === false ? { guard } : {}),
      }),
    ],
    controllers: [McpSdkController('mcp')],
    providers: [{ provide: MCP_SERVER_FACTORY, useClass: PeekServerFactory }],
  })
  class AppModule {}
  const adapter = platform === 'fastify' ? new FastifyAdapter() : undefined;
  const app = adapter
    ? await NestFactory.create(AppModule, adapter, { logger: false, abortOnError: false })
    : await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.listen(port, '127.0.0.1');
  return { app, mcp };
}

describe.each<Platform>(['express', 'fastify'])(
  'McpSdkController on %s: the MCP SDK gets exactly what the guard authorized',
  (platform) => {
    let issuer: LocalIssuer;
    const apps: INestApplication[] = [];
    let mcp: string;

    beforeAll(async () => {
      issuer = await LocalIssuer.start();
      const started = await boot(issuer, undefined, platform);
      apps.push(started.app);
      mcp = started.mcp;
    });
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()));
      await issuer.stop();
    });

    const call = (url: string, era: (typeof ERAS)[number], token: string | undefined, note = 'hi') =>
      fetch(url, {
        method: 'POST',
        headers: {
          ...toolCallHeaders(era, 'peek'),
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: toolCallBody(era, 'peek', { note }),
      });

    it.each(ERAS)('%s: the tool runs for the verified caller and sees no token anywhere', async (era) => {
      const token = issuer.mintToken({ audience: mcp, scopes: ['peek:run'], subject: `alice-${era}-${platform}` });
      const response = await call(mcp, era, token, `${era}-${platform}`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain(token);
      expect(seen.find((view) => view.note === `${era}-${platform}`)).toEqual({
        note: `${era}-${platform}`,
        factoryCaller: `alice-${era}-${platform}`,
        sdkCaller: `alice-${era}-${platform}`,
        token: '',
        scopes: ['peek:run'],
        authorizationHeader: null,
      });
    });

    it.each(ERAS)('%s: a caller without the tool scope gets 403 before the SDK runs anything', async (era) => {
      const before = seen.length;
      const response = await call(mcp, era, issuer.mintToken({ audience: mcp, scopes: [] }));
      expect(response.status).toBe(403);
      expect(seen.length).toBe(before);
    });

    it('serves the metadata at both URLs, answers CORS preflights, challenges without a token', async () => {
      const origin = new URL(mcp).origin;
      for (const url of [
        `${origin}/.well-known/oauth-protected-resource/mcp`,
        `${origin}/.well-known/oauth-protected-resource`,
      ]) {
        const metadata = await fetch(url);
        expect(metadata.status).toBe(200);
        expect(metadata.headers.get('access-control-allow-origin')).toBe('*');
        expect(await metadata.json()).toMatchObject({ resource: mcp, scopes_supported: ['peek:run'] });
      }
      const preflight = await fetch(mcp, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
      const anonymous = await call(mcp, ERAS[0], undefined);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe(
        `Bearer scope="peek:run", resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
      );
      expect(anonymous.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/);
    });

    it('refuses a foreign Origin (403) and a body that is not application/json (415) before the SDK runs', async () => {
      const token = issuer.mintToken({ audience: mcp, scopes: ['peek:run'] });
      const before = seen.length;
      const foreign = await fetch(mcp, {
        method: 'POST',
        headers: {
          ...toolCallHeaders(ERAS[0], 'peek'),
          'content-type': 'application/json',
          origin: 'https://evil.example',
          authorization: `Bearer ${token}`,
        },
        body: toolCallBody(ERAS[0], 'peek', { note: 'foreign' }),
      });
      expect(foreign.status).toBe(403);
      const text = await fetch(mcp, {
        method: 'POST',
        headers: {
          ...toolCallHeaders(ERAS[0], 'peek'),
          'content-type': 'text/plain',
          authorization: `Bearer ${token}`,
        },
        body: toolCallBody(ERAS[0], 'peek', { note: 'text' }),
      });
      expect(text.status).toBe(415);
      expect(seen.length).toBe(before);
    });

    it('GET and DELETE answer 405 with a JSON-RPC error (a stateless server has no stream or session)', async () => {
      const token = issuer.mintToken({ audience: mcp, scopes: [] });
      for (const method of ['GET', 'DELETE']) {
        const response = await fetch(mcp, { method, headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(405);
        expect(response.headers.get('allow')).toBe('POST');
        expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
      }
    });

    it('refuses to serve when the guard did not run on the route (guard: false, no @UseGuards): fail closed', async () => {
      const unguarded = await boot(issuer, false, platform);
      apps.push(unguarded.app);
      const before = seen.length;
      const response = await call(unguarded.mcp, ERAS[0], undefined);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32603 } });
      expect(seen.length).toBe(before);
    });
  },
);
