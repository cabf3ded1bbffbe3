import { expect, it } from '@jest/globals';
import { parseBearerChallenge } from 'nestjs-mcp-oauth/testing';
import { postMcp, toolCall } from './mcp-requests.js';
import { OAuthMcpApp } from './oauth-client.js';
import type { SampleUrls } from './sample-app.js';

/** A running sample MCP server as these tests need it. */
export interface ServerUnderTest {
  urls: SampleUrls;
  /** The `authorization_servers` entry its metadata names. */
  authorizationServer: string;
  /** The `resource_name` its metadata names. */
  resourceName: string;
  /** An access token it accepts, with these scopes, for `subject`. */
  token(scopes: string[], subject: string): Promise<string>;
}

type JsonRpcResult = { result: { structuredContent: Record<string, unknown>; content: Array<{ text: string }> } };

/**
 * The basics of the README's behaviour table ("What clients see") and the todo tools' JSON, over real HTTP, as `it`s of
 * the calling `describe` (the server is read when the tests run, after `beforeAll`): metadata at both URLs, 401 with
 * the challenge, 403 `insufficient_scope` before the tool runs, 200 with `structuredContent` mirrored as text, the scope
 * hierarchy, 403 `unknown_tool`, the official MCP SDK client on both protocol eras, one todo list per user.
 */
export function itServesTheBehaviourTableBasics(server: () => ServerUnderTest): void {
  it.each(['metadataPath', 'metadataRoot'] as const)('serves the protected resource metadata (%s)', async (url) => {
    const { urls, authorizationServer, resourceName } = server();
    const response = await fetch(urls[url]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      resource: urls.mcp,
      authorization_servers: [authorizationServer],
      bearer_methods_supported: ['header'],
      scopes_supported: ['todo:read', 'todo:write'],
      resource_name: resourceName,
    });
  });

  it('401 without a token: the challenge names the metadata, and the scope when the call needs one', async () => {
    const { urls } = server();
    const call = await postMcp(urls.mcp, toolCall('create_todo', { title: 'x' }));
    expect(call.status).toBe(401);
    expect(parseBearerChallenge(call.headers.get('www-authenticate'))).toEqual({
      resource_metadata: urls.metadataPath,
      scope: 'todo:write',
    });
    const initialize = await postMcp(urls.mcp, { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
    expect(initialize.status).toBe(401);
    expect(parseBearerChallenge(initialize.headers.get('www-authenticate'))).toEqual({
      resource_metadata: urls.metadataPath,
    });
  });

  it('403 insufficient_scope for create_todo with only todo:read, before the tool runs', async () => {
    const { urls, token } = server();
    const reader = { authorization: `Bearer ${await token(['todo:read'], 'reader')}` };
    const denied = await postMcp(urls.mcp, toolCall('create_todo', { title: 'not with todo:read' }), reader);
    expect(denied.status).toBe(403);
    expect(parseBearerChallenge(denied.headers.get('www-authenticate'))).toEqual({
      error: 'insufficient_scope',
      error_description: expect.stringContaining('todo:write'),
      scope: 'todo:write',
      resource_metadata: urls.metadataPath,
    });
    const list = (await (await postMcp(urls.mcp, toolCall('list_todos'), reader)).json()) as JsonRpcResult;
    expect(list.result.structuredContent).toEqual({ todos: [] });
  });

  it('200 with the scope: JSON results as structuredContent mirrored as text; todo:write implies todo:read', async () => {
    const { urls, token } = server();
    const writer = { authorization: `Bearer ${await token(['todo:write'], 'writer')}` };
    const created = await postMcp(urls.mcp, toolCall('create_todo', { title: '  trimmed  ' }), writer);
    expect(created.status).toBe(200);
    const { result } = (await created.json()) as JsonRpcResult;
    expect(result.structuredContent).toEqual({ id: expect.any(String), title: 'trimmed', completed: false });
    expect(JSON.parse(result.content[0].text)).toEqual(result.structuredContent);
    const list = await postMcp(urls.mcp, toolCall('list_todos'), writer);
    expect(list.status).toBe(200);
    expect(((await list.json()) as JsonRpcResult).result.structuredContent).toEqual({
      todos: [result.structuredContent],
    });
  });

  it('403 unknown_tool for a tool the server does not serve, whatever the token holds', async () => {
    const { urls, token } = server();
    const response = await postMcp(urls.mcp, toolCall('drop_database'), {
      authorization: `Bearer ${await token(['todo:read', 'todo:write'], 'curious')}`,
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(await response.json()).toMatchObject({ error: 'unknown_tool' });
  });

  it('GET /healthz needs no token', async () => {
    const response = await fetch(server().urls.health);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it.each([
    ['2025-11-25', undefined],
    ['2026-07-28', '2026-07-28'],
  ])('the MCP SDK client (protocol %s) lists and calls every tool', async (_era, pinProtocolVersion) => {
    const { urls, token } = server();
    const subject = `sdk-${pinProtocolVersion ?? 'default'}`;
    const accessToken = await token(['todo:read', 'todo:write'], subject);
    const client = new OAuthMcpApp(urls.mcp, { accessToken, pinProtocolVersion });
    await client.connect();
    const { tools } = await client.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'complete_todo',
      'create_todo',
      'delete_todo',
      'list_todos',
      'whoami',
    ]);
    expect(await client.callJson('whoami')).toEqual({
      sub: subject,
      clientId: expect.any(String),
      scopes: ['todo:read', 'todo:write'],
    });
    const todo = await client.callJson('create_todo', { title: 'every tool' });
    expect(todo).toEqual({ id: expect.any(String), title: 'every tool', completed: false });
    expect(await client.callJson('list_todos')).toEqual({ todos: [todo] });
    expect(await client.callJson('complete_todo', { id: todo.id })).toEqual({ ...todo, completed: true });
    expect(await client.callJson('delete_todo', { id: todo.id })).toEqual({ ...todo, completed: true });
    expect(await client.callJson('list_todos')).toEqual({ todos: [] });
    expect(client.oauth.authorizationUrls).toEqual([]);
    await client.close();
  });

  it("another user's todo id is not found, and the owner's todo is untouched", async () => {
    const { urls, token } = server();
    const owner = new OAuthMcpApp(urls.mcp, { accessToken: await token(['todo:write'], 'owner') });
    const other = new OAuthMcpApp(urls.mcp, { accessToken: await token(['todo:write'], 'other') });
    await owner.connect();
    await other.connect();
    const secret = await owner.callJson('create_todo', { title: "owner's" });
    expect(await other.callJson('list_todos')).toEqual({ todos: [] });
    for (const tool of ['complete_todo', 'delete_todo']) {
      // What the MCP SDK's server makes of an exception thrown by a tool.
      expect(await other.client.callTool({ name: tool, arguments: { id: secret.id } })).toEqual({
        content: [{ type: 'text', text: `Todo ${JSON.stringify(secret.id)} was not found.` }],
        isError: true,
      });
    }
    expect(await owner.callJson('list_todos')).toEqual({ todos: [secret] });
    await owner.close();
    await other.close();
  });
}
