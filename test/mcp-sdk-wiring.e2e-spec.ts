import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { McpServer } from '@modelcontextprotocol/server';
import { type INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
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

async function boot(issuer: LocalIssuer, guard: false | undefined): Promise<{ app: INestApplication; mcp: string }> {
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
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.listen(port, '127.0.0.1');
  return { app, mcp };
}

describe('McpSdkController: the MCP SDK gets exactly what the guard authorized', () => {
  let issuer: LocalIssuer;
  const apps: INestApplication[] = [];
  let mcp: string;

  beforeAll(async () => {
    issuer = await LocalIssuer.start();
    const started = await boot(issuer, undefined);
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
    const token = issuer.mintToken({ audience: mcp, scopes: ['peek:run'], subject: `alice-${era}` });
    const response = await call(mcp, era, token, era);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(token);
    expect(seen.find((view) => view.note === era)).toEqual({
      note: era,
      factoryCaller: `alice-${era}`,
      sdkCaller: `alice-${era}`,
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
    const unguarded = await boot(issuer, false);
    apps.push(unguarded.app);
    const before = seen.length;
    const response = await call(unguarded.mcp, ERAS[0], undefined);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32603 } });
    expect(seen.length).toBe(before);
  });
});
