import { Controller, Get, Module, Post, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
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

/** A todo the fixture's `create_todo` wrote, with the caller it ran as. */
export interface FixtureTodo {
  title: string;
  subject: string;
  principal: unknown;
}

/** The SDK-wired fixture app, listening on 127.0.0.1. */
export interface SdkWiredApp {
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
 * Starts a Nest app wired exactly the way the MCP SDK documents it for Express: a `POST /mcp` handler doing
 * `toNodeHandler(createMcpHandler(factory, { legacy: 'stateless' }))(req, res, req.body)`, so the SDK serves both
 * 2025-era (stateless fallback) and 2026-07-28 requests, behind the real `McpOAuthModule` (JWKS of `issuer`, tool
 * scopes, hierarchy, a failed-authentication limit of 5, events collected). Unlike the sample, nothing in the
 * handler reads or drains the body: whatever the guard did not see, the SDK reads from the socket itself.
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

  @Controller('mcp')
  class SdkMcpController {
    @Post()
    async handle(@Req() request: Request, @Res() response: Response): Promise<void> {
      await handler(request, response, request.body);
    }
  }

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
    controllers: [SdkMcpController, FixtureController],
  })
  class SdkWiredModule {}

  const app = await NestFactory.create(SdkWiredModule, { logger: false, abortOnError: false });
  await app.listen(port, '127.0.0.1');
  return { port, baseUrl, mcpUrl, todos, events, close: () => app.close() };
}
