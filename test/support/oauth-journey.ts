import { expect, it } from '@jest/globals';
import { authorizeHeadlessly } from '@nestjs-mcp-oauth/sample-kit/oauth-client';
import { OAuthMcpApp, type WireLog } from './oauth-client.js';

/**
 * What an MCP client application goes through against a sample MCP server with the embedded authorization server
 * (README, "What a client goes through"), as `it`s of the calling `describe`: the official MCP SDK client starting with
 * no token, step-up to `todo:write`, one todo list per user. `mcpUrl` is read when the tests run (after `beforeAll`).
 */
export function itCompletesTheOAuthJourney(mcpUrl: () => string): void {
  it('the MCP SDK client starts with no token and completes 401 -> metadata -> AS metadata -> registration -> PKCE -> token -> tools', async () => {
    const log: WireLog = [];
    const app = new OAuthMcpApp(mcpUrl(), { log });
    await app.connect();
    expect(await app.callJson('whoami')).toMatchObject({ sub: 'dev-user', scopes: ['todo:read', 'todo:write'] });
    const created = await app.callJson('create_todo', { title: 'from an OAuth client' });
    expect(await app.callJson('list_todos')).toEqual({ todos: [created] });
    await app.close();

    const firstIndex = (pattern: RegExp) => log.findIndex((line) => pattern.test(line));
    const order = [
      /^POST \/mcp -> 401$/,
      /^GET \/\.well-known\/oauth-protected-resource\/mcp -> 200$/,
      /^GET \/\.well-known\/oauth-authorization-server\/oauth -> 200$/,
      /^POST \/oauth\/register -> 201$/,
      /^GET \/oauth\/authorize -> 30\d$/,
      /^POST \/oauth\/token -> 200$/,
      /^POST \/mcp -> 200$/,
    ].map(firstIndex);
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The path-inserted metadata URL is tried first, so the root URL is never needed.
    expect(log.some((line) => line.startsWith('GET /.well-known/oauth-protected-resource ->'))).toBe(false);
    const authorization = app.oauth.authorizationUrls[0];
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('code_challenge')).toEqual(expect.any(String));
    expect(authorization.searchParams.get('resource')).toBe(mcpUrl());
  });

  it('steps up: a client holding only todo:read gets 403 on create_todo, re-authorizes with the challenged scope, and succeeds', async () => {
    const app = new OAuthMcpApp(mcpUrl(), { loginHint: 'stepper' });
    await authorizeHeadlessly(app.oauth, mcpUrl(), 'todo:read');
    expect(app.grantedScopes()).toEqual(['todo:read']);

    await app.connect();
    expect(await app.callJson('list_todos')).toEqual({ todos: [] });
    expect(app.oauth.authorizationUrls).toHaveLength(1);

    const created = await app.callJson('create_todo', { title: 'needs todo:write' });
    expect(created).toMatchObject({ title: 'needs todo:write', completed: false });
    expect(app.oauth.authorizationUrls).toHaveLength(2);
    expect(app.oauth.authorizationUrls[1].searchParams.get('scope')?.split(' ')).toContain('todo:write');
    expect(app.grantedScopes()).toContain('todo:write');
    expect(await app.callJson('list_todos')).toEqual({ todos: [created] });
    await app.close();
  });

  it('two users (login_hint) see only their own todos', async () => {
    const alice = new OAuthMcpApp(mcpUrl(), { loginHint: 'alice' });
    const bob = new OAuthMcpApp(mcpUrl(), { loginHint: 'bob' });
    await alice.connect();
    await bob.connect();
    expect(await alice.callJson('whoami')).toMatchObject({ sub: 'alice' });
    expect(await bob.callJson('whoami')).toMatchObject({ sub: 'bob' });
    const secret = await alice.callJson('create_todo', { title: "alice's" });
    expect(await bob.callJson('list_todos')).toEqual({ todos: [] });
    await expect(bob.callJson('delete_todo', { id: secret.id })).rejects.toThrow(/not found/);
    expect(await alice.callJson('list_todos')).toEqual({ todos: [secret] });
    await alice.close();
    await bob.close();
  });
}
