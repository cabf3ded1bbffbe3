import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MintTokenOptions } from 'nestjs-mcp-oauth/testing';
import { CaptureLogger } from './support/capture-logger.js';
import { exchange, type RawRequest, type RawResponse } from './support/http.js';
import {
  base64Sentinel,
  type Era,
  ERAS,
  jsonBody,
  LEGACY_VERSION,
  rpcMessages,
  toolCallBody,
  toolCallHeaders,
} from './support/one-view-http.js';
import { type SampleWithIssuer, startSampleWithIssuer } from './support/sample-app.js';

/*
 * "One view of the request" against the sample app itself (Scalekit mode, LocalIssuer stand-in): the Content-Type
 * bypass (finding A), whose data a token reaches across the Scalekit issuer spellings (finding G), and no 5xx from an
 * authenticated caller (finding I). The sample's controller hands the SDK `req.body` and probes the era from it, so
 * some of what the SDK-wired fixture shows may not reproduce here: each test says what it asserts, not how today's
 * sample happens to behave.
 */

const RESOURCE_ID = 'res_one_view';

let fixture: SampleWithIssuer;
let port: number;
const logger = new CaptureLogger();

beforeAll(async () => {
  fixture = await startSampleWithIssuer({ resourceId: RESOURCE_ID, logger });
  port = Number(new URL(fixture.urls.base).port);
});

afterAll(() => fixture?.close());

function token(scopes: string[], subject: string, extra: MintTokenOptions = {}): string {
  return fixture.token(scopes, { subject, ...extra });
}

interface CallOptions {
  era?: Era;
  tool?: string;
  args?: Record<string, unknown>;
  token: string;
  contentType?: string;
  mcpName?: string;
  target?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

function toolCallRequest(options: CallOptions): RawRequest {
  const era = options.era ?? LEGACY_VERSION;
  const tool = options.tool ?? 'whoami';
  return {
    target: options.target,
    headers: {
      ...toolCallHeaders(era, tool, options.mcpName),
      authorization: `Bearer ${options.token}`,
      'content-type': options.contentType ?? 'application/json',
      ...options.headers,
    },
    body: options.body ?? toolCallBody(era, tool, options.args ?? {}),
  };
}

function callTool(options: CallOptions): Promise<RawResponse> {
  return exchange(port, toolCallRequest(options));
}

/** The structured result of a tool call answered 200. */
function resultOf(response: RawResponse): Record<string, unknown> {
  expect(response.status).toBe(200);
  const [message] = rpcMessages(response);
  return (message.result as { structuredContent: Record<string, unknown> }).structuredContent;
}

/** Titles of the todos `list_todos` shows to a token. */
async function titlesSeenBy(bearer: string): Promise<string[]> {
  const { todos } = resultOf(await callTool({ tool: 'list_todos', token: bearer })) as {
    todos: Array<{ title: string }>;
  };
  return todos.map((todo) => todo.title);
}

function expectRefusal(response: RawResponse, status: number, error: string): void {
  expect({ status: response.status, error: jsonBody(response)?.error }).toEqual({ status, error });
  expect(jsonBody(response)).toMatchObject({ statusCode: status, error, error_description: expect.any(String) });
}

describe('finding A on the sample: Content-Type "application/json" + 0xA0', () => {
  it.each(ERAS)(
    'A1 (%s): a todo:read token cannot run create_todo through Content-Type "application/json\\xA0": 415 unsupported_media_type, no todo',
    async (era) => {
      const subject = `smuggler-${era}`;
      const response = await callTool({
        era,
        tool: 'create_todo',
        args: { title: 'smuggled' },
        token: token(['todo:read'], subject),
        contentType: 'application/json\u00a0',
        mcpName: base64Sentinel('create_todo'),
      });
      expect(await titlesSeenBy(token(['todo:read'], subject))).toEqual([]);
      expectRefusal(response, 415, 'unsupported_media_type');
    },
  );
});

describe('finding G on the sample: one user across the Scalekit issuer spellings', () => {
  it('G: a todo created with iss {env} and sub alice is listed with iss {env}/resources/{resourceId} and sub alice, not with sub bob', async () => {
    const environmentIssuer = fixture.issuer.url;
    const resourceIssuer = `${fixture.issuer.url}/resources/${RESOURCE_ID}`;
    const created = await callTool({
      tool: 'create_todo',
      args: { title: 'across-issuers' },
      token: token(['todo:write'], 'alice-g', { issuer: environmentIssuer }),
    });
    expect(resultOf(created)).toMatchObject({ title: 'across-issuers' });
    expect(await titlesSeenBy(token(['todo:read'], 'alice-g', { issuer: resourceIssuer }))).toEqual(['across-issuers']);
    expect(await titlesSeenBy(token(['todo:read'], 'alice-g', { issuer: environmentIssuer }))).toEqual([
      'across-issuers',
    ]);
    expect(await titlesSeenBy(token(['todo:read'], 'bob-g', { issuer: resourceIssuer }))).toEqual([]);
    expect(await titlesSeenBy(token(['todo:read'], 'bob-g', { issuer: environmentIssuer }))).toEqual([]);
  });
});

describe('finding I on the sample: no 5xx from an authenticated caller', () => {
  const deepBody = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create_todo","arguments":{"title":${'['.repeat(20_000)}${']'.repeat(20_000)}}}}`;
  const subject = 'i-caller';
  const createTodo = (options: Partial<CallOptions> = {}) =>
    toolCallRequest({
      tool: 'create_todo',
      args: { title: 'i-case' },
      token: token(['todo:write'], subject),
      ...options,
    });

  const cases: Array<{ name: string; build: () => RawRequest; status: number; error: string }> = [
    {
      name: 'a text/plain body over 4 MiB',
      build: () => createTodo({ contentType: 'text/plain', body: Buffer.alloc(4 * 1024 * 1024 + 512 * 1024, 'x') }),
      status: 415,
      error: 'unsupported_media_type',
    },
    {
      name: 'an absolute-form request target',
      build: () => createTodo({ target: fixture.urls.mcp }),
      status: 400,
      error: 'invalid_request',
    },
    ...['[', 'a b', 'a%zz'].map((host) => ({
      name: `Host: ${host}`,
      build: () => createTodo({ headers: { Host: host } }),
      status: 400,
      error: 'invalid_request',
    })),
    {
      name: 'create_todo whose arguments nest 20,000 levels deep (an array in title, under the 100 KB JSON limit)',
      build: () => createTodo({ body: deepBody }),
      status: 400,
      error: 'invalid_request',
    },
  ];

  it.each(cases)(
    'I: $name -> $status $error; then /healthz and a normal call still 200',
    async ({ build, status, error }) => {
      expect(Buffer.byteLength(deepBody)).toBeLessThan(100 * 1024);
      const response = await exchange(port, build());
      expect(response.status).toBeLessThan(500);
      expectRefusal(response, status, error);
      expect(await titlesSeenBy(token(['todo:read'], subject))).toEqual([]);
      expect((await fetch(fixture.urls.health)).status).toBe(200);
      expect(resultOf(await callTool({ token: token([], 'after') }))).toMatchObject({ sub: 'after' });
    },
  );
});
