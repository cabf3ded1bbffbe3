import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LocalIssuer } from 'nestjs-mcp-oauth/testing';
import { type McpNestSample, startMcpNestSample } from './support/mcp-nest-sample.js';
import { postMcp, toolCall } from './support/mcp-requests.js';
import { type SampleWithIssuer, startSampleWithIssuer } from './support/sample-app.js';

const RESOURCE_ID = 'res_parity';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** One user's session, the same for both servers: every tool, a todo that is not there, the scope hierarchy. */
const SCRIPT: Array<[tool: string, args: (ids: string[]) => Record<string, unknown>]> = [
  ['whoami', () => ({})],
  ['list_todos', () => ({})],
  ['create_todo', () => ({ title: 'first' })],
  ['create_todo', () => ({ title: '  second  ' })],
  ['complete_todo', ([first]) => ({ id: first })],
  ['delete_todo', ([, second]) => ({ id: second })],
  ['list_todos', () => ({})],
  ['complete_todo', () => ({ id: 'not-a-todo' })],
  ['delete_todo', ([first]) => ({ id: first })],
  ['list_todos', () => ({})],
];

/** Runs {@link SCRIPT} over HTTP and returns every response body, todo ids replaced by their order of creation. */
async function transcript(mcpUrl: string, token: string): Promise<unknown[]> {
  const ids: string[] = [];
  const bodies: unknown[] = [];
  for (const [index, [tool, args]] of SCRIPT.entries()) {
    const response = await postMcp(mcpUrl, toolCall(tool, args(ids), index + 1), { authorization: `Bearer ${token}` });
    const text = await response.text();
    for (const id of text.match(UUID) ?? []) if (!ids.includes(id)) ids.push(id);
    bodies.push({ status: response.status, body: JSON.parse(text.replace(UUID, (id) => `<todo ${ids.indexOf(id)}>`)) });
  }
  return bodies;
}

/**
 * The mcp-nest sample and the sample (official MCP SDK) side by side, in Scalekit mode against local stand-ins
 * issuing the same claims: the same requests get the same JSON-RPC responses, byte for byte but for the todo ids.
 */
describe('the mcp-nest sample answers like the sample', () => {
  let sdkSample: SampleWithIssuer;
  let issuer: LocalIssuer;
  let mcpNestSample: McpNestSample;

  beforeAll(async () => {
    sdkSample = await startSampleWithIssuer({ resourceId: RESOURCE_ID });
    issuer = await LocalIssuer.start({ scalekitResourceId: RESOURCE_ID });
    mcpNestSample = await startMcpNestSample('express', { mode: 'scalekit', issuer, resourceId: RESOURCE_ID });
  });
  afterAll(async () => {
    await sdkSample?.close();
    await mcpNestSample?.close();
    await issuer?.stop();
  });

  it.each([
    ['todo:read todo:write', ['todo:read', 'todo:write']],
    ['todo:write (implies todo:read)', ['todo:write']],
  ])('every tool call, with %s', async (_scopes, scopes) => {
    const subject = `parity-${scopes.length}`;
    const expected = await transcript(sdkSample.urls.mcp, sdkSample.token(scopes, { subject }));
    expect(await transcript(mcpNestSample.urls.mcp, await mcpNestSample.token(scopes, subject))).toEqual(expected);
    // The transcript is what the sample's README promises, so equality above is not two servers agreeing on nothing.
    expect(expected[4]).toEqual({
      status: 200,
      body: {
        jsonrpc: '2.0',
        id: 5,
        result: {
          content: [{ type: 'text', text: '{"id":"<todo 0>","title":"first","completed":true}' }],
          structuredContent: { id: '<todo 0>', title: 'first', completed: true },
        },
      },
    });
    expect(expected[7]).toMatchObject({ body: { result: { isError: true } } });
  });

  it('lists the same tools with the same descriptions and schemas; mcp-nest labels each `noauth` in _meta', async () => {
    type Listed = { name: string; inputSchema: Record<string, unknown>; _meta?: unknown };
    const list = async (mcpUrl: string, token: string) => {
      const response = await postMcp(
        mcpUrl,
        { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} },
        {
          authorization: `Bearer ${token}`,
        },
      );
      return ((await response.json()) as { result: { tools: Listed[] } }).result.tools;
    };
    const sdkTools = await list(sdkSample.urls.mcp, sdkSample.token(['todo:read']));
    const mcpNestTools = await list(mcpNestSample.urls.mcp, await mcpNestSample.token(['todo:read'], 'lister'));
    expect(mcpNestTools.map((tool) => tool.name)).toEqual(sdkTools.map((tool) => tool.name));
    // mcp-nest only knows its own @ToolScopes / @PublicTool: tools whose scopes nestjs-mcp-oauth enforces
    // (@RequireScopes) are "noauth" to it (README: what differs).
    for (const tool of mcpNestTools) expect(tool._meta).toEqual({ securitySchemes: [{ type: 'noauth' }] });
    // The SDK omits the JSON Schema dialect of argument-less tools' input; mcp-nest names it.
    const withDialect = (tools: Listed[]) =>
      tools.filter((tool) => '$schema' in tool.inputSchema).map(({ name }) => name);
    expect(withDialect(sdkTools)).toEqual(['create_todo', 'complete_todo', 'delete_todo']);
    expect(withDialect(mcpNestTools)).toEqual(mcpNestTools.map(({ name }) => name));
    const comparable = (tools: Listed[]) =>
      tools.map(({ _meta: _ignored, inputSchema: { $schema: _dialect, ...inputSchema }, ...tool }) => ({
        ...tool,
        inputSchema,
      }));
    expect(comparable(mcpNestTools)).toEqual(comparable(sdkTools));
  });

  it("differs where the root README's table says: validation messages, initialize, GET", async () => {
    const answers = async (mcpUrl: string, token: string) => {
      const authorization = { authorization: `Bearer ${token}` };
      const invalid = await postMcp(mcpUrl, toolCall('create_todo', { title: '' }), authorization);
      const initialize = await postMcp(
        mcpUrl,
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } },
        },
        authorization,
      );
      const get = await fetch(mcpUrl, { headers: authorization });
      return {
        invalid: ((await invalid.json()) as { result: { isError: boolean; content: Array<{ text: string }> } }).result,
        initialize: ((await initialize.json()) as { result: { capabilities: object; serverInfo: object } }).result,
        get: { status: get.status, body: await get.text() },
      };
    };
    const sdk = await answers(sdkSample.urls.mcp, sdkSample.token(['todo:write']));
    const mcpNest = await answers(mcpNestSample.urls.mcp, await mcpNestSample.token(['todo:write'], 'differ'));
    expect(sdk.invalid).toEqual({ isError: true, content: [expect.objectContaining({ type: 'text' })] });
    expect(sdk.invalid.content[0].text).toMatch(
      /^Input validation error: Invalid arguments for tool create_todo: title/,
    );
    expect(mcpNest.invalid).toEqual({ isError: true, content: [expect.objectContaining({ type: 'text' })] });
    expect(mcpNest.invalid.content[0].text).toMatch(/^Invalid parameters: \[title\]: /);
    expect(sdk.initialize).toMatchObject({
      capabilities: { tools: { listChanged: true } },
      serverInfo: { name: 'nestjs-mcp-oauth-sample' },
    });
    expect(sdk.initialize.capabilities).not.toHaveProperty('logging');
    expect(mcpNest.initialize).toMatchObject({
      capabilities: { tools: { listChanged: true }, logging: {} },
      serverInfo: { name: 'nestjs-mcp-oauth-mcp-nest-sample' },
    });
    expect(sdk.get).toEqual({ status: 405, body: expect.stringContaining('only accepts POST.') });
    expect(mcpNest.get).toEqual({ status: 405, body: expect.stringContaining('Method not allowed in stateless mode') });
  });
});
