import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type LocalIssuer, parseBearerChallenge } from 'nestjs-mcp-oauth/testing';
import { httpRequest } from './support/http.js';
import { MCP_HEADERS, postMcp, toolCall } from './support/mcp-requests.js';
import { HTTP_PLATFORMS } from './support/platforms.js';
import { type SampleUrls, type SampleWithIssuer, startSampleWithIssuerInOwnRegistry } from './support/sample-app.js';

const RESOURCE_ID = 'res_e2e';

/**
 * The sample app against a local stand-in of a Scalekit environment, over real HTTP on 127.0.0.1: every row of
 * the README's behaviour table ("What clients see"), the official MCP SDK client calling every tool, per-tool step-up,
 * per-user isolation. The same table on Express and on Fastify (MCP_HTTP_PLATFORM), each sample booted in its own
 * module registry (the sample validates its environment when its module is first imported).
 */
describe.each(HTTP_PLATFORMS)('sample app (Scalekit mode) on %s end to end', (platform) => {
  let fixture: SampleWithIssuer;
  let issuer: LocalIssuer;
  let urls: SampleUrls;

  const token = (scopes: string[], subject = 'alice', extra: Parameters<LocalIssuer['mintToken']>[0] = {}) =>
    fixture.token(scopes, { subject, ...extra });

  async function connect(bearer: string, versionNegotiation?: { pin: string }): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(new URL(urls.mcp), {
      requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    });
    const client = new Client(
      { name: 'e2e', version: '1.0.0' },
      versionNegotiation ? { versionNegotiation: { mode: versionNegotiation } } : undefined,
    );
    await client.connect(transport);
    return client;
  }

  async function callJson(client: Client, name: string, args: Record<string, unknown> = {}) {
    const result = await client.callTool({ name, arguments: args });
    expect(result.isError).toBeFalsy();
    const text = (result.content as Array<{ type: string; text: string }>)[0].text;
    expect(JSON.parse(text)).toEqual(result.structuredContent);
    return result.structuredContent as Record<string, unknown>;
  }

  beforeAll(async () => {
    // The failed-authentication limiter at the sample's default (60 a minute): the table runs as deployed.
    fixture = await startSampleWithIssuerInOwnRegistry({
      resourceId: RESOURCE_ID,
      env: { MCP_AUTH_FAILURES_PER_MINUTE: '60' },
      platform,
    });
    ({ issuer, urls } = fixture);
  });

  afterAll(() => fixture?.close());

  it(`runs on ${platform} (MCP_HTTP_PLATFORM=${platform})`, () => {
    expect(fixture.sample.app.getHttpAdapter().getType()).toBe(platform);
  });

  describe('protected resource metadata (RFC 9728)', () => {
    it('lives at the path-inserted and the root well-known URLs (the URLs every test here expects)', () => {
      expect(urls.metadataPath).toBe(`${urls.base}/.well-known/oauth-protected-resource/mcp`);
      expect(urls.metadataRoot).toBe(`${urls.base}/.well-known/oauth-protected-resource`);
    });

    it.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])(
      'serves %s with resource = MCP_SERVER_URL',
      async (path) => {
        const response = await fetch(`${urls.base}${path}`, { headers: { origin: 'https://client.example' } });
        expect(response.status).toBe(200);
        expect(response.headers.get('access-control-allow-origin')).toBe('*');
        expect(await response.json()).toEqual({
          resource: urls.mcp,
          authorization_servers: [`${issuer.url}/resources/${RESOURCE_ID}`],
          bearer_methods_supported: ['header'],
          scopes_supported: ['todo:read', 'todo:write'],
          resource_name: 'nestjs-mcp-oauth sample todo server',
        });
      },
    );

    it('answers a CORS preflight for the metadata, and 404 for another path-inserted resource', async () => {
      const preflight = await fetch(urls.metadataPath, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://client.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'mcp-protocol-version',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('mcp-protocol-version');
      expect((await fetch(`${urls.base}/.well-known/oauth-protected-resource/other`)).status).toBe(404);
    });
  });

  describe("the README's behaviour table (What clients see)", () => {
    it('no credentials: 401, resource_metadata (path-inserted) and scope, no error', async () => {
      const response = await postMcp(urls.mcp, toolCall('create_todo', { title: 'x' }));
      expect(response.status).toBe(401);
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
      expect(challenge).toEqual({ resource_metadata: urls.metadataPath, scope: 'todo:write' });
    });

    it('no credentials on initialize: 401 with resource_metadata and no scope parameter', async () => {
      const response = await postMcp(urls.mcp, { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
      expect(response.status).toBe(401);
      expect(parseBearerChallenge(response.headers.get('www-authenticate'))).toEqual({
        resource_metadata: urls.metadataPath,
      });
    });

    it.each([
      ['a cookie only', { cookie: 'access_token=abc' }],
      ['another header only', { 'x-access-token': 'abc' }],
      ['the Basic scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ])('%s counts as no credentials: 401 without error', async (_name, headers) => {
      const response = await postMcp(urls.mcp, toolCall('whoami'), headers);
      expect(response.status).toBe(401);
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
      expect(challenge?.resource_metadata).toBe(urls.metadataPath);
      expect(challenge?.error).toBeUndefined();
    });

    const invalidTokens: Array<[string, () => string]> = [
      ['malformed', () => 'not-a-jwt'],
      ['expired', () => token(['todo:read'], 'alice', { expiresIn: -3600 })],
      ['not yet valid', () => token(['todo:read'], 'alice', { notBefore: 3600 })],
      [
        'bad signature',
        () => {
          const [header, payload] = token(['todo:read']).split('.');
          return `${header}.${payload}.${token(['todo:write']).split('.')[2]}`;
        },
      ],
      ['unknown key', () => token(['todo:read'], 'alice', { header: { kid: 'unknown-kid' } })],
      ['wrong issuer', () => token(['todo:read'], 'alice', { issuer: 'https://evil.example.com' })],
      [
        'wrong audience',
        () => issuer.mintToken({ audience: 'https://someone-else.example.com/mcp', scopes: ['todo:read'] }),
      ],
      [
        'alg not allowed (none)',
        () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${token(['todo:read']).split('.')[1]}.`,
      ],
    ];

    it.each(invalidTokens)('%s token: 401 invalid_token with error_description', async (_name, makeToken) => {
      const response = await postMcp(urls.mcp, toolCall('whoami'), { authorization: `Bearer ${makeToken()}` });
      expect(response.status).toBe(401);
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
      expect(challenge?.error).toBe('invalid_token');
      expect(challenge?.error_description).toEqual(expect.any(String));
      expect(challenge?.resource_metadata).toBe(urls.metadataPath);
    });

    it('token in the query string: 400 invalid_request', async () => {
      const response = await postMcp(`${urls.mcp}?access_token=${token(['todo:read'])}`, toolCall('whoami'));
      expect(response.status).toBe(400);
      expect(parseBearerChallenge(response.headers.get('www-authenticate'))).toMatchObject({
        error: 'invalid_request',
        resource_metadata: urls.metadataPath,
      });
    });

    it('token in a form body: 400 invalid_request', async () => {
      const response = await fetch(urls.mcp, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ access_token: token(['todo:read']) }),
      });
      expect(response.status).toBe(400);
      expect(parseBearerChallenge(response.headers.get('www-authenticate'))?.error).toBe('invalid_request');
    });

    it('two Authorization headers: 400 invalid_request', async () => {
      const valid = token(['todo:read']);
      const response = await httpRequest(urls.mcp, {
        headers: { ...MCP_HEADERS, authorization: [`Bearer ${valid}`, `Bearer ${valid}`] },
        body: JSON.stringify(toolCall('whoami')),
      });
      expect(response.status).toBe(400);
      expect(parseBearerChallenge(response.headers['www-authenticate'] as string)?.error).toBe('invalid_request');
    });

    it('header plus query token: 400 invalid_request', async () => {
      const valid = token(['todo:read']);
      const response = await postMcp(`${urls.mcp}?access_token=x`, toolCall('whoami'), {
        authorization: `Bearer ${valid}`,
      });
      expect(response.status).toBe(400);
    });

    it('valid token lacking the scope: 403 insufficient_scope naming every scope the call needs', async () => {
      const response = await postMcp(urls.mcp, toolCall('create_todo', { title: 'x' }), {
        authorization: `Bearer ${token(['todo:read'])}`,
      });
      expect(response.status).toBe(403);
      expect(parseBearerChallenge(response.headers.get('www-authenticate'))).toMatchObject({
        error: 'insufficient_scope',
        scope: 'todo:write',
        resource_metadata: urls.metadataPath,
      });
    });

    it('a batch calling tools with different scopes: one 403 challenge listing all of them', async () => {
      const response = await postMcp(
        urls.mcp,
        [toolCall('list_todos', {}, 1), toolCall('delete_todo', { id: 'x' }, 2)],
        {
          authorization: `Bearer ${token([])}`,
        },
      );
      expect(response.status).toBe(403);
      const scopes = parseBearerChallenge(response.headers.get('www-authenticate'))?.scope?.split(' ').sort();
      expect(scopes).toEqual(['todo:read', 'todo:write']);
    });

    it('CORS preflight: 204, never 401, WWW-Authenticate exposed, Authorization and MCP headers allowed', async () => {
      const response = await fetch(urls.mcp, {
        method: 'OPTIONS',
        headers: {
          origin: urls.base,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(response.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
      const allowed = response.headers.get('access-control-allow-headers')?.toLowerCase() ?? '';
      for (const header of [
        'authorization',
        'mcp-protocol-version',
        'mcp-session-id',
        'mcp-method',
        'mcp-name',
        'last-event-id',
      ]) {
        expect(allowed).toContain(header);
      }
    });

    it('a disallowed Origin on the MCP endpoint: 403', async () => {
      const response = await postMcp(urls.mcp, toolCall('whoami'), {
        origin: 'https://evil.example.com',
        authorization: `Bearer ${token(['todo:read'])}`,
      });
      expect(response.status).toBe(403);
    });

    it('exposes WWW-Authenticate on a 401 to browser clients', async () => {
      const response = await postMcp(urls.mcp, toolCall('whoami'), { origin: urls.base });
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(urls.base);
      expect(response.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    });

    it('builds resource_metadata from the configured resource, never from the Host header', async () => {
      const response = await httpRequest(urls.mcp, {
        headers: { ...MCP_HEADERS, host: 'attacker.example.com' },
        body: JSON.stringify(toolCall('whoami')),
      });
      expect(response.status).toBe(401);
      expect(parseBearerChallenge(response.headers['www-authenticate'] as string)?.resource_metadata).toBe(
        urls.metadataPath,
      );
    });

    it('healthz is public', async () => {
      const response = await fetch(urls.health);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('never echoes the token in a response', async () => {
      const expired = token(['todo:read'], 'alice', { expiresIn: -3600 });
      const response = await postMcp(urls.mcp, toolCall('whoami'), { authorization: `Bearer ${expired}` });
      const everything = `${[...response.headers].join('\n')}\n${await response.text()}`;
      for (const part of expired.split('.')) expect(everything).not.toContain(part.slice(0, 16));
    });
  });

  describe('the official MCP SDK client', () => {
    it('connects with a bearer token and calls every tool', async () => {
      const client = await connect(token(['todo:read', 'todo:write'], 'carol'));
      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name).sort()).toEqual([
        'complete_todo',
        'create_todo',
        'delete_todo',
        'list_todos',
        'whoami',
      ]);

      expect(await callJson(client, 'whoami')).toEqual({
        sub: 'carol',
        clientId: 'test-client',
        scopes: ['todo:read', 'todo:write'],
      });
      const created = await callJson(client, 'create_todo', { title: 'write the e2e test' });
      expect(created).toEqual({ id: expect.any(String), title: 'write the e2e test', completed: false });
      expect(await callJson(client, 'list_todos')).toEqual({ todos: [created] });
      expect(await callJson(client, 'complete_todo', { id: created.id })).toEqual({ ...created, completed: true });
      expect(await callJson(client, 'delete_todo', { id: created.id })).toEqual({ ...created, completed: true });
      expect(await callJson(client, 'list_todos')).toEqual({ todos: [] });
      await client.close();
    });

    it('speaks the 2026-07-28 protocol too', async () => {
      const client = await connect(token(['todo:read'], 'dave'), { pin: '2026-07-28' });
      expect(await callJson(client, 'whoami')).toMatchObject({ sub: 'dave' });
      await client.close();
    });

    it('todo:write implies todo:read (scope hierarchy)', async () => {
      const client = await connect(token(['todo:write'], 'erin'));
      expect(await callJson(client, 'list_todos')).toEqual({ todos: [] });
      await client.close();
    });

    it('a tools/call without the scope gets 403 and the todo store is unchanged', async () => {
      const writer = await connect(token(['todo:write'], 'frank'));
      const created = await callJson(writer, 'create_todo', { title: 'keep me' });
      const reader = await connect(token(['todo:read'], 'frank'));
      await expect(reader.callTool({ name: 'delete_todo', arguments: { id: created.id } })).rejects.toThrow(
        /insufficient|scope|403/i,
      );
      await expect(reader.callTool({ name: 'create_todo', arguments: { title: 'sneaky' } })).rejects.toThrow();
      expect(await callJson(reader, 'list_todos')).toEqual({ todos: [created] });
      await writer.close();
      await reader.close();
    });

    it("user A cannot see or change user B's todos", async () => {
      const alice = await connect(token(['todo:write'], 'alice-iso'));
      const bob = await connect(token(['todo:write'], 'bob-iso'));
      const secret = await callJson(alice, 'create_todo', { title: "alice's secret" });
      expect(await callJson(bob, 'list_todos')).toEqual({ todos: [] });
      for (const tool of ['complete_todo', 'delete_todo']) {
        const result = await bob.callTool({ name: tool, arguments: { id: secret.id } });
        expect(result.isError).toBe(true);
        expect(JSON.stringify(result.content)).toMatch(/not found/);
      }
      expect(await callJson(alice, 'list_todos')).toEqual({ todos: [secret] });
      await alice.close();
      await bob.close();
    });

    it('serves a tools/call without a prior initialize (stateless)', async () => {
      const response = await postMcp(urls.mcp, toolCall('whoami'), {
        authorization: `Bearer ${token([], 'gina')}`,
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { result: { structuredContent: { sub: string } } };
      expect(body.result.structuredContent.sub).toBe('gina');
    });
  });
});
