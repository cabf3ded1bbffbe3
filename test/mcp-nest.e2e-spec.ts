import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  type McpContext,
  McpController,
  McpHttpControllerFor,
  McpStrategy,
  PublicTool,
  StreamableHttpTransport,
  Tool,
  ToolScopes,
} from '@rekog/mcp-nest';
import { McpOAuthConfigError, McpOAuthModule, RequireScopes } from 'nestjs-mcp-oauth';
import { LocalIssuer, parseBearerChallenge } from 'nestjs-mcp-oauth/testing';
import { z } from 'zod';
import { freePort } from './support/free-port.js';

const ran: string[] = [];

/** mcp-nest tools, each naming who called it (mcp-nest's request.user). */
@McpController()
class NotesTools {
  @Tool({ name: 'read_notes', description: 'Read notes', parameters: z.object({}) })
  @RequireScopes('notes:read')
  readNotes(@Payload() _input: unknown, @Ctx() context: McpContext) {
    ran.push('read_notes');
    const user = (context.getRawRequest() as { user?: { sub?: string; scope?: string } }).user;
    return { content: [{ type: 'text', text: JSON.stringify({ sub: user?.sub, scope: user?.scope }) }] };
  }

  @Tool({ name: 'write_notes', description: 'Write notes', parameters: z.object({ text: z.string() }) })
  @ToolScopes(['notes:write'])
  writeNotes() {
    ran.push('write_notes');
    return { content: [{ type: 'text', text: 'written' }] };
  }

  @Tool({ description: 'Ping (no scope; the method name is the tool name)', parameters: z.object({}) })
  @PublicTool()
  ping() {
    ran.push('ping');
    return { content: [{ type: 'text', text: 'pong' }] };
  }
}

type Platform = 'express' | 'fastify';

interface Booted {
  app: INestApplication;
  mcp: string;
}

/** An mcp-nest 2 app: MCP served from a Nest controller (controller mode), or by the transport itself (self-mount). */
async function boot(
  issuer: LocalIssuer,
  {
    platform,
    mode,
    allowUnguardedMcpPath,
    inheritAppConfig,
  }: {
    platform: Platform;
    mode: 'controller' | 'self-mount';
    allowUnguardedMcpPath?: boolean;
    inheritAppConfig?: boolean;
  },
): Promise<Booted> {
  const port = await freePort();
  const mcp = `http://127.0.0.1:${port}/mcp`;
  const transport = new StreamableHttpTransport();
  const strategy = new McpStrategy({ name: 'notes', version: '1.0.0', transports: [transport], logging: false });
  const controllers: Array<new (...args: never[]) => unknown> = [NotesTools];
  if (mode === 'controller') {
    @Controller('mcp')
    class McpHttpController extends McpHttpControllerFor(transport) {}
    controllers.push(McpHttpController);
  }
  @Module({
    imports: [
      McpOAuthModule.forRoot({
        resource: mcp,
        jwks: { issuer: issuer.url, jwksUri: issuer.jwksUri },
        scopeHierarchy: { 'notes:write': ['notes:read'] },
        eventLog: false,
        allowUnguardedMcpPath,
      }),
    ],
    controllers,
  })
  class AppModule {}
  const options = { logger: false as const, abortOnError: false };
  const app =
    platform === 'fastify'
      ? await NestFactory.create(AppModule, new FastifyAdapter(), options)
      : await NestFactory.create(AppModule, options);
  strategy.setHttpAdapter(app.getHttpAdapter());
  app.connectMicroservice({ strategy }, { inheritAppConfig: inheritAppConfig === true });
  try {
    await app.startAllMicroservices();
    await app.listen(port, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return { app, mcp };
}

const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
};

function rpc(mcp: string, method: string, params: Record<string, unknown>, token?: string) {
  return fetch(mcp, {
    method: 'POST',
    headers: { ...HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
}

describe.each<Platform>(['express', 'fastify'])('@rekog/mcp-nest 2 in controller mode on %s', (platform) => {
  let issuer: LocalIssuer;
  let booted: Booted;
  const token = (scopes: string[], subject = 'alice') =>
    issuer.mintToken({ audience: booted.mcp, scopes, subject, scopeClaim: 'scope' });

  beforeAll(async () => {
    issuer = await LocalIssuer.start();
    booted = await boot(issuer, { platform, mode: 'controller' });
  });
  afterAll(async () => {
    await booted?.app.close();
    await issuer?.stop();
  });

  it('401 with a challenge without a token: discovery starts, nothing runs', async () => {
    const before = ran.length;
    const response = await rpc(booted.mcp, 'tools/call', { name: 'read_notes', arguments: {} });
    expect(response.status).toBe(401);
    expect(parseBearerChallenge(response.headers.get('www-authenticate'))).toEqual({
      scope: 'notes:read',
      resource_metadata: `${new URL(booted.mcp).origin}/.well-known/oauth-protected-resource/mcp`,
    });
    expect(ran.length).toBe(before);
  });

  it.each([
    ['read_notes', '@RequireScopes', 'notes:read', {}],
    ['write_notes', "mcp-nest's own @ToolScopes", 'notes:write', { text: 'x' }],
  ])(
    '%s (%s): 403 insufficient_scope before mcp-nest dispatches; 200 with the scope',
    async (tool, _how, scope, args) => {
      const before = ran.length;
      const denied = await rpc(booted.mcp, 'tools/call', { name: tool, arguments: args }, token([]));
      expect(denied.status).toBe(403);
      expect(parseBearerChallenge(denied.headers.get('www-authenticate'))).toMatchObject({
        error: 'insufficient_scope',
        scope,
      });
      expect(ran.length).toBe(before);
      const allowed = await rpc(booted.mcp, 'tools/call', { name: tool, arguments: args }, token([scope]));
      expect(allowed.status).toBe(200);
      expect(JSON.stringify(await allowed.json())).not.toMatch(/"error"/);
      expect(ran.at(-1)).toBe(tool);
    },
  );

  it('mcp-nest sees the verified caller as request.user, with the scope hierarchy applied', async () => {
    const response = await rpc(
      booted.mcp,
      'tools/call',
      { name: 'read_notes', arguments: {} },
      token(['notes:write'], 'bob'),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { content: Array<{ text: string }> } };
    expect(JSON.parse(body.result.content[0].text)).toEqual({ sub: 'bob', scope: 'notes:write notes:read' });
  });

  it("mcp-nest's tools/list filtering works with the verified identity", async () => {
    const names = async (scopes: string[]) => {
      const response = await rpc(booted.mcp, 'tools/list', {}, token(scopes));
      const body = (await response.json()) as { result: { tools: Array<{ name: string }> } };
      return body.result.tools.map((tool) => tool.name).sort();
    };
    expect(await names([])).toEqual(['ping', 'read_notes']);
    expect(await names(['notes:write'])).toEqual(['ping', 'read_notes', 'write_notes']);
  });

  it('@PublicTool needs no scope but still a valid token (the MCP endpoint is protected as a whole)', async () => {
    expect((await rpc(booted.mcp, 'tools/call', { name: 'ping', arguments: {} })).status).toBe(401);
    expect((await rpc(booted.mcp, 'tools/call', { name: 'ping', arguments: {} }, token([]))).status).toBe(200);
  });

  it('advertises the scopes of @RequireScopes and @ToolScopes; unknown tools are refused', async () => {
    const metadata = await fetch(`${new URL(booted.mcp).origin}/.well-known/oauth-protected-resource/mcp`);
    expect(await metadata.json()).toMatchObject({ scopes_supported: ['notes:read', 'notes:write'] });
    const unknown = await rpc(booted.mcp, 'tools/call', { name: 'nope', arguments: {} }, token(['notes:write']));
    expect(unknown.status).toBe(403);
    expect(await unknown.json()).toMatchObject({ error: 'unknown_tool' });
  });
});

describe('@rekog/mcp-nest with the MCP microservice inheriting the app configuration (global guards run per tool)', () => {
  it('the tool calls of a request the guard authorized pass the guard again in rpc context', async () => {
    const issuer = await LocalIssuer.start();
    const booted = await boot(issuer, { platform: 'express', mode: 'controller', inheritAppConfig: true });
    try {
      const token = issuer.mintToken({ audience: booted.mcp, scopes: ['notes:read'], scopeClaim: 'scope' });
      const response = await rpc(booted.mcp, 'tools/call', { name: 'read_notes', arguments: {} }, token);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { result: { isError?: boolean; content: Array<{ text: string }> } };
      expect(body.result.isError).toBeFalsy();
      expect(body.result.content[0].text).toContain('"sub":"user-1"');
    } finally {
      await booted.app.close();
      await issuer.stop();
    }
  });
});

describe.each<Platform>(['express', 'fastify'])('@rekog/mcp-nest self-mounting its route on %s', (platform) => {
  let issuer: LocalIssuer;
  beforeAll(async () => {
    issuer = await LocalIssuer.start();
  });
  afterAll(() => issuer.stop());

  it('refuses to start: the self-mounted /mcp would run outside every guard', async () => {
    const started = boot(issuer, { platform, mode: 'self-mount' });
    await expect(started).rejects.toBeInstanceOf(McpOAuthConfigError);
    await expect(started).rejects.toThrow(
      /outside Nest's router[\s\S]*McpHttpControllerFor[\s\S]*allowUnguardedMcpPath/,
    );
  });

  it('starts with allowUnguardedMcpPath: true (the app protects that route another way)', async () => {
    const booted = await boot(issuer, { platform, mode: 'self-mount', allowUnguardedMcpPath: true });
    // The route answers without any token: exactly what the refusal protects against by default.
    const response = await rpc(booted.mcp, 'tools/call', { name: 'ping', arguments: {} });
    expect(response.status).toBe(200);
    await booted.app.close();
  });
});
