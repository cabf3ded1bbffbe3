import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Module, Post, Req, Res, type Type } from '@nestjs/common';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type CallToolResult, createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import type { Request, Response } from 'express';
import {
  type AuthInfo,
  McpAuth,
  type McpOAuthEvent,
  McpOAuthModule,
  type McpOAuthModuleOptions,
  Public,
} from 'nestjs-mcp-oauth';
import type { LocalIssuer } from 'nestjs-mcp-oauth/testing';
import { z } from 'zod';
import { freePort } from './free-port.js';
import { createNestApp, type HttpPlatform } from './platforms.js';

/** What the Fastify handler reads of its request and reply (FastifyRequest / FastifyReply, structurally). */
interface FastifyRequestLike {
  raw: IncomingMessage;
  body: unknown;
}
interface FastifyReplyLike {
  raw: ServerResponse;
}

/** A todo the fixture's `create_todo` wrote, with the caller it ran as. */
export interface FixtureTodo {
  title: string;
  subject: string;
  principal: unknown;
}

/** The SDK-wired fixture app, listening on 127.0.0.1. */
export interface SdkWiredApp {
  platform: HttpPlatform;
  port: number;
  baseUrl: string;
  mcpUrl: string;
  /** Every todo `create_todo` wrote: a test asserts no tool ran by finding this unchanged. */
  todos: FixtureTodo[];
  /** Every event the library handed to `onAuthEvent`. */
  events: McpOAuthEvent[];
  close(): Promise<void>;
}

/**
 * `AuthInfo.principal` (the stable key of "whose data") does not exist in today's public type: read it through a
 * cast so the type check stays green before the fix.
 */
export function principalOf(auth: AuthInfo | undefined): unknown {
  return (auth as unknown as Record<string, unknown> | undefined)?.principal;
}

function json(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/** One MCP server (official SDK) per request, its tools running as the caller the guard verified. */
function buildServer(auth: AuthInfo | undefined, todos: FixtureTodo[]): McpServer {
  const server = new McpServer({ name: 'sdk-wired-fixture', version: '1.0.0' });
  server.registerTool('whoami', { description: 'Who the caller is.' }, () =>
    json({ sub: auth?.subject ?? null, principal: principalOf(auth) ?? null, scopes: [...(auth?.scopes ?? [])] }),
  );
  server.registerTool('list_todos', { description: 'Every todo.' }, () => json({ todos: todos.map((t) => t.title) }));
  server.registerTool(
    'create_todo',
    { description: 'Create a todo.', inputSchema: z.object({ title: z.string() }) },
    ({ title }) => {
      const todo = { title, subject: auth?.subject ?? '(none)', principal: principalOf(auth) };
      todos.push(todo);
      return json({ created: todo.title });
    },
  );
  return server;
}

/**
 * The `POST /mcp` controller exactly as the MCP SDK documents it for each platform, `@Post()` only (on Fastify,
 * `@Post()` and `@All()` on one path fail at boot with FST_ERR_DUPLICATED_ROUTE):
 * - Express: `toNodeHandler(createMcpHandler(factory))(req, res, req.body)`;
 * - Fastify: `toNodeHandler(createMcpHandler(factory))(req.raw, reply.raw, req.body)` (the SDK takes the caller from
 *   `req.raw.auth`, which the guard sets too).
 */
function sdkMcpController(platform: HttpPlatform, handler: ReturnType<typeof toNodeHandler>): Type<unknown> {
  if (platform === 'fastify') {
    @Controller('mcp')
    class FastifySdkMcpController {
      @Post()
      async handle(@Req() request: FastifyRequestLike, @Res() reply: FastifyReplyLike): Promise<void> {
        await handler(request.raw, reply.raw, request.body);
      }
    }
    return FastifySdkMcpController;
  }
  @Controller('mcp')
  class ExpressSdkMcpController {
    @Post()
    async handle(@Req() request: Request, @Res() response: Response): Promise<void> {
      await handler(request, response, request.body);
    }
  }
  return ExpressSdkMcpController;
}

/**
 * Starts a Nest app on `platform` wired exactly the way the MCP SDK documents it ({@link sdkMcpController}), so the
 * SDK serves both 2025-era (stateless fallback) and 2026-07-28 requests, behind the real `McpOAuthModule` (JWKS of
 * `issuer`, tool scopes, hierarchy, a failed-authentication limit of 5, events collected). Unlike the sample, nothing
 * in the handler reads or drains the body: whatever the guard did not see, the SDK reads from the socket itself.
 *
 * Also serves a `@Public() GET /healthz` and a protected `GET /me` returning the caller's `AuthInfo` fields
 * (`principal` included) for tests about whose data a token reaches.
 *
 * `overrides` are library options merged over the fixture's, typed loosely so options that do not exist yet
 * (`unknownTools`) type-check today.
 */
export async function startSdkWiredApp(
  issuer: LocalIssuer,
  overrides: Record<string, unknown> = {},
  platform: HttpPlatform = 'express',
): Promise<SdkWiredApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const mcpUrl = `${baseUrl}/mcp`;
  const todos: FixtureTodo[] = [];
  const events: McpOAuthEvent[] = [];
  const handler = toNodeHandler(
    createMcpHandler(({ authInfo }) => buildServer(authInfo as unknown as AuthInfo | undefined, todos), {
      legacy: 'stateless',
    }),
  );

  @Controller()
  class FixtureController {
    @Public()
    @Get('healthz')
    health() {
      return { status: 'ok' };
    }

    @Get('me')
    me(@McpAuth() auth: AuthInfo) {
      return { subject: auth.subject, issuer: auth.issuer, principal: principalOf(auth) ?? null };
    }
  }

  const options: Record<string, unknown> = {
    resource: mcpUrl,
    jwks: { issuer: issuer.url, jwksUri: issuer.jwksUri },
    toolScopes: { whoami: [], list_todos: ['todo:read'], create_todo: ['todo:write'] },
    scopeHierarchy: { 'todo:write': ['todo:read'] },
    authFailureLimit: { limit: 5 },
    onAuthEvent: (event: McpOAuthEvent) => {
      events.push(event);
    },
    ...overrides,
  };

  @Module({
    imports: [McpOAuthModule.forRoot(options as unknown as McpOAuthModuleOptions)],
    controllers: [sdkMcpController(platform, handler), FixtureController],
  })
  class SdkWiredModule {}

  const app = await createNestApp(SdkWiredModule, platform);
  await app.listen(port, '127.0.0.1');
  return { platform, port, baseUrl, mcpUrl, todos, events, close: () => app.close() };
}
