import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { McpOAuthEvent } from 'nestjs-mcp-oauth';
import { LocalIssuer, parseBearerChallenge } from 'nestjs-mcp-oauth/testing';
import {
  base64Sentinel,
  type Era,
  ERAS,
  eventually,
  inPool,
  jsonBody,
  LEGACY_VERSION,
  MODERN_VERSION,
  rpcMessages,
  toolCallBody,
  toolCallHeaders,
} from './support/one-view-http.js';
import { exchange, type RawRequest, type RawResponse } from './support/http.js';
import { HTTP_PLATFORMS, type HttpPlatform } from './support/platforms.js';
import { type SdkWiredApp, startSdkWiredApp } from './support/sdk-wired-app.js';

/*
 * "One view of the request" (libs/mcp-oauth/src/http/mcp-request.ts): what the guard authorizes must be exactly what
 * the MCP server executes.
 * Every test here runs against the SDK-wired fixture (test/support/sdk-wired-app.ts), on Express and on Fastify: a
 * Nest app whose POST /mcp does exactly what the MCP SDK documents, `toNodeHandler(createMcpHandler(factory))(req, res,
 * req.body)` (on Fastify `req.raw`, `reply.raw`), so whatever the guard did not see (a body the framework did not
 * parse, a path the Origin check did not match, a header value the guard read literally) the SDK reads for itself.
 * Each describe boots its own fixture (failed-authentication limit 5), so one finding's junk tokens never block
 * another's requests. Where Fastify answers before any guard runs (a body over its bodyLimit) or routes another
 * spelling of /mcp, the expectation says so per platform.
 *
 * Error bodies expected from the fixed library: `{ statusCode, error, error_description }` with the HTTP status.
 */

const JUNK_TOKEN = 'junk.junk.junk';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let issuer: LocalIssuer;

beforeAll(async () => {
  issuer = await LocalIssuer.start();
});

afterAll(async () => {
  await issuer?.stop();
});

/** Boots a fresh fixture on `platform` for the enclosing describe; the returned getter reads it inside tests. */
function useFixture(platform: HttpPlatform, overrides: Record<string, unknown> = {}): () => SdkWiredApp {
  let app: SdkWiredApp | undefined;
  beforeAll(async () => {
    app = await startSdkWiredApp(issuer, overrides, platform);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('fixture not started');
    return app;
  };
}

function tokenFor(app: SdkWiredApp, scopes: string[], subject = 'alice'): string {
  return issuer.mintToken({ audience: app.mcpUrl, scopes, subject });
}

interface CallOptions {
  era?: Era;
  tool?: string;
  args?: Record<string, unknown>;
  /** A bearer token; `null` sends no Authorization header. */
  token: string | null;
  contentType?: string;
  /** Replaces the `Mcp-Name` value (2026-07-28 only). */
  mcpName?: string;
  target?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A `tools/call` POST written verbatim on a socket (header bytes as given, latin1). */
function toolCallRequest(options: CallOptions): RawRequest {
  const era = options.era ?? LEGACY_VERSION;
  const tool = options.tool ?? 'whoami';
  const headers: Record<string, string> = { ...toolCallHeaders(era, tool, options.mcpName) };
  if (options.token !== null) headers.authorization = `Bearer ${options.token}`;
  headers['content-type'] = options.contentType ?? 'application/json';
  return {
    target: options.target,
    headers: { ...headers, ...options.headers },
    body: options.body ?? toolCallBody(era, tool, options.args ?? {}),
  };
}

function callTool(app: SdkWiredApp, options: CallOptions): Promise<RawResponse> {
  return exchange(app.port, toolCallRequest(options));
}

/** Status and the `{ statusCode, error }` of the JSON body, for one readable comparison. */
function outcome(response: RawResponse): { status: number; error: unknown } {
  return { status: response.status, error: jsonBody(response)?.error };
}

/** The fixed library's error answer: the status, and `{ statusCode, error, error_description }` in a JSON body. */
function expectRefusal(response: RawResponse, status: number, error: string): void {
  expect(outcome(response)).toEqual({ status, error });
  expect(jsonBody(response)).toMatchObject({ statusCode: status, error, error_description: expect.any(String) });
}

/**
 * Fastify's own refusal of a body, before any guard ran (it parses bodies ahead of the route handler, and Nest's
 * exception layer answers): the status, Nest's `{ statusCode, message }` body, no challenge, no library error field.
 */
function expectFastifyRefusal(response: RawResponse, status: number): void {
  expect({ status: response.status, challenge: response.headers['www-authenticate'] }).toEqual({
    status,
    challenge: undefined,
  });
  expect(jsonBody(response)).toEqual({ statusCode: status, message: expect.any(String) });
}

/** A header value with every byte outside printable ASCII written as `\\xNN` (NBSP looks like a space). */
function visible(value: string): string {
  return value.replace(/[^\x21-\x7e]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function toolCallEvents(app: SdkWiredApp, from = 0): Array<Extract<McpOAuthEvent, { type: 'tool_call' }>> {
  return app.events
    .slice(from)
    .filter((event): event is Extract<McpOAuthEvent, { type: 'tool_call' }> => event.type === 'tool_call');
}

/**
 * Waits until every event of the requests sent so far has been emitted: `tool_call` events are emitted when a
 * response closes, so a `whoami` sent afterwards is a barrier once its own event shows up. Returns the barrier's
 * correlation id (to exclude its event from counts).
 */
async function settle(app: SdkWiredApp): Promise<string> {
  const response = await callTool(app, { token: tokenFor(app, [], 'barrier') });
  expect(response.status).toBe(200);
  const correlationId = response.headers['x-request-id'];
  await eventually(
    () => toolCallEvents(app).some((event) => event.correlationId === correlationId),
    'the barrier whoami has its tool_call event',
  );
  return correlationId;
}

/** What must hold after any hostile request: the app is alive and serves a normal call. */
async function expectStillServing(app: SdkWiredApp): Promise<void> {
  expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
  const normal = await callTool(app, { token: tokenFor(app, ['todo:read'], 'after') });
  expect(normal.status).toBe(200);
  expect(rpcMessages(normal)[0]).toMatchObject({ result: { structuredContent: { sub: 'after' } } });
}

describe.each(HTTP_PLATFORMS)('one view of the request on %s (SDK-wired fixture)', (platform) => {
  describe('finding A: a body the framework did not parse as JSON never reaches the MCP server (415 first)', () => {
    const app = useFixture(platform);

    it.each(ERAS)(
      'A1 (%s): Content-Type "application/json" + byte 0xA0 and a todo:read token cannot run create_todo: 415 unsupported_media_type, no todo',
      async (era) => {
        const title = `smuggled-a1-${era}`;
        const response = await callTool(app(), {
          era,
          tool: 'create_todo',
          args: { title },
          token: tokenFor(app(), ['todo:read']),
          contentType: 'application/json\u00a0',
          // 2026-07-28: the SEP-2243 Base64 form of Mcp-Name, which the SDK decodes (a plain name would tell the guard).
          mcpName: base64Sentinel('create_todo'),
        });
        expect(app().todos.filter((todo) => todo.title === title)).toEqual([]);
        expectRefusal(response, 415, 'unsupported_media_type');
      },
    );
  });

  describe('finding A: no Content-Type spelling around application/json lets the SDK read a body the guard did not', () => {
    // The failed-authentication limiter is off here: today's guard counts its own 400s (Mcp-Name mismatches) as failed
    // authentications, and the 429s that follow would hide what each spelling does.
    const app = useFixture(platform, { authFailureLimit: { limit: 0 } });

    /** Content-Type values with `byte` inserted at every interesting position around `application/json`. */
    function contentTypesWith(byte: string): string[] {
      return [
        `${byte}application/json`,
        `application/json${byte}`,
        `application${byte}/json`,
        `application/${byte}json`,
        `app${byte}lication/json`,
        `application/js${byte}on`,
        `application/json;${byte}`,
        `application/json;${byte}charset=utf-8`,
        `application/json; charset=${byte}utf-8`,
        `application/json; charset=utf-8${byte}`,
        `application/json; char${byte}set=utf-8`,
        `application/json; charset="utf-8"${byte}`,
        ` APPLICATION/JSON${byte}`,
        `Application/Json ;${byte} charset=UTF-8`,
        `application/json ${byte}`,
        `\tapplication/json\t${byte}`,
      ];
    }

    /*
     * Express runs the whole sweep in both eras. Fastify runs a reduced one to keep the suite's time down: every byte at
     * every position, in one era (alternating by byte), and in both eras for the bytes parsers disagree on (whitespace
     * by HTTP, by JavaScript's trim() (0xA0), obs-text and controls).
     */
    const fullSweep = platform === 'express';
    const BOTH_ERAS_BYTES = [0x00, 0x09, 0x0b, 0x0c, 0x20, 0x7f, 0x85, 0xa0, 0xff];
    const sweepEras = (code: number): readonly Era[] =>
      fullSweep || BOTH_ERAS_BYTES.includes(code) ? ERAS : [ERAS[code % ERAS.length]];

    it(`A2: every byte 0x00-0xFF inserted around application/json (type, subtype, parameters, whitespace, case), ${fullSweep ? 'both eras' : 'one era per byte, both for whitespace-like bytes'}, with a todo:read token calling create_todo: never 2xx, never 5xx, never a todo`, async () => {
      const cases: Array<{ era: Era; contentType: string }> = [];
      for (let code = 0; code <= 0xff; code += 1) {
        for (const contentType of contentTypesWith(String.fromCharCode(code))) {
          for (const era of sweepEras(code)) cases.push({ era, contentType });
        }
      }
      // The reduced sweep still holds the byte that smuggled a body past the guard on Express (finding A1), both eras.
      for (const era of ERAS) expect(cases).toContainEqual({ era, contentType: 'application/json\u00a0' });
      expect(cases.length).toBeGreaterThanOrEqual(fullSweep ? 256 * 16 * ERAS.length : 256 * 16);
      const token = tokenFor(app(), ['todo:read'], 'sweeper');
      const before = app().todos.length;
      const results = await inPool(cases, 32, async ({ era, contentType }) => {
        const response = await callTool(app(), {
          era,
          tool: 'create_todo',
          args: { title: 'sweep' },
          token,
          contentType,
          mcpName: base64Sentinel('create_todo'),
        });
        return { era, contentType: visible(contentType), status: response.status };
      });
      // Refusals are the guard's 403 (body read as JSON), 415 (not strictly JSON) or Node's own 400 (bytes it refuses).
      const served = results.filter(({ status }) => status >= 200 && status < 300);
      const crashed = results.filter(({ status }) => status >= 500);
      expect({
        served: served.slice(0, 10),
        servedCount: served.length,
        crashed: crashed.slice(0, 10),
        todosCreated: app().todos.length - before,
      }).toEqual({ served: [], servedCount: 0, crashed: [], todosCreated: 0 });
    }, 120_000);

    it('A2 (fast-check): random Content-Type strings built around application/json never let a todo:read token run create_todo', async () => {
      // Noise around a core that is (or nearly is) application/json: shrinking then points at the offending bytes.
      // Whitespace-like bytes (what parsers disagree on: HTTP OWS, JavaScript's trim(), obs-text) weigh the most.
      const noise = fc.array(
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(' ', '\t', '\u00a0', '\u0085', '\u00ff') },
          {
            weight: 2,
            arbitrary: fc.constantFrom(';', '=', ',', '"', '\\', '/', '*', '+json', 'charset', 'utf-8', 'text/plain'),
          },
          { weight: 1, arbitrary: fc.constantFrom('\u000b', '\u000c', '\u007f', '\u0000') },
        ),
        { maxLength: 4 },
      );
      const core = fc.constantFrom(
        'application/json',
        'APPLICATION/JSON',
        'Application/Json',
        'application/json; charset=utf-8',
        'application/json;charset=UTF-8',
        'application/json; charset="utf-8"',
        'application',
        'json',
      );
      const contentTypes = fc
        .tuple(noise, core, noise)
        .map(([before, middle, after]) => [...before, middle, ...after].join(''));
      const token = tokenFor(app(), ['todo:read'], 'fuzzer');
      await fc.assert(
        fc.asyncProperty(contentTypes, fc.constantFrom(...ERAS), async (contentType, era) => {
          const before = app().todos.length;
          const response = await callTool(app(), {
            era,
            tool: 'create_todo',
            args: { title: 'fuzz' },
            token,
            contentType,
            mcpName: base64Sentinel('create_todo'),
          });
          expect({
            contentType: visible(contentType),
            served: response.status >= 200 && response.status < 300,
            crashed: response.status >= 500,
          }).toEqual({ contentType: visible(contentType), served: false, crashed: false });
          expect(app().todos.length).toBe(before);
        }),
        { numRuns: 1000 },
      );
    }, 120_000);
  });

  describe('finding A: text/plain and other non-JSON bodies get 415 whatever the token, with bounded reads', () => {
    const app = useFixture(platform);

    it.each([
      ['a valid todo:read token', 'read'],
      ['a junk token', 'junk'],
      ['no token', 'none'],
    ] as const)(
      'A3: Content-Type text/plain with a JSON-RPC create_todo body and %s: 415 unsupported_media_type',
      async (_name, kind) => {
        for (const era of ERAS) {
          const token = kind === 'read' ? tokenFor(app(), ['todo:read']) : kind === 'junk' ? JUNK_TOKEN : null;
          const response = await callTool(app(), {
            era,
            tool: 'create_todo',
            args: { title: 'plain' },
            token,
            contentType: 'text/plain',
          });
          expectRefusal(response, 415, 'unsupported_media_type');
        }
        expect(app().todos).toEqual([]);
      },
    );

    /*
     * Express leaves a text/plain body unread and the guard answers 415 after the first 64 KiB. Fastify parses every
     * body (text/plain as a string) before any guard runs, so there the bound is its bodyLimit (1 MiB by default) and
     * the answer its own 413: at once from an announced Content-Length, and once 1 MiB of a chunked body has arrived
     * (with only 64 KiB sent, Fastify would wait for the rest; no guard has run yet). Either way the server answers
     * while the body is still open, and no tool runs.
     */
    const FASTIFY_BODY_LIMIT = 1024 * 1024;
    it.each([
      ['announced with Content-Length 5 MiB', 5 * 1024 * 1024],
      ['chunked', 'chunked'],
    ] as const)(
      `A4: a text/plain body %s gets ${platform === 'fastify' ? "Fastify's 413 at its bodyLimit" : 'its 415'} without the server reading the whole body, and the app keeps serving`,
      async (_name, framing) => {
        const sent = platform === 'fastify' && framing === 'chunked' ? FASTIFY_BODY_LIMIT + 64 * 1024 : 64 * 1024;
        const response = await exchange(app().port, {
          headers: {
            authorization: `Bearer ${tokenFor(app(), ['todo:read'])}`,
            accept: 'application/json, text/event-stream',
            'mcp-protocol-version': LEGACY_VERSION,
            'content-type': 'text/plain',
          },
          body: Buffer.alloc(sent, 'x'),
          framing,
          keepOpen: true,
          giveUpAfterMs: 10_000,
          what: `text/plain body (${String(framing)}), first ${sent / 1024} KiB sent`,
        });
        if (platform === 'fastify') expectFastifyRefusal(response, 413);
        else expectRefusal(response, 415, 'unsupported_media_type');
        expect(app().todos).toEqual([]);
        await expectStillServing(app());
      },
    );
  });

  describe('finding B: Mcp-Name in its Base64 form (SEP-2243) is read the way the SDK reads it', () => {
    const app = useFixture(platform);

    it('B1: 2026-07-28 create_todo with Mcp-Name =?base64?Y3JlYXRlX3RvZG8=?= and a todo:write token: 200, the todo is created, the audit event names create_todo', async () => {
      const response = await callTool(app(), {
        era: MODERN_VERSION,
        tool: 'create_todo',
        args: { title: 'b64-write' },
        token: tokenFor(app(), ['todo:write']),
        mcpName: '=?base64?Y3JlYXRlX3RvZG8=?=',
      });
      expect(outcome(response)).toEqual({ status: 200, error: undefined });
      expect(app().todos.map((todo) => todo.title)).toEqual(['b64-write']);
      const correlationId = response.headers['x-request-id'];
      await eventually(
        () => toolCallEvents(app()).some((event) => event.correlationId === correlationId),
        'the tool_call event of the Base64-named call',
      );
      expect(toolCallEvents(app()).filter((event) => event.correlationId === correlationId)).toEqual([
        expect.objectContaining({ tool: 'create_todo', outcome: 'completed' }),
      ]);
    });

    it('B2: the same call with a todo:read token: 403 insufficient_scope whose challenge asks for todo:write, no todo', async () => {
      const before = app().todos.length;
      const response = await callTool(app(), {
        era: MODERN_VERSION,
        tool: 'create_todo',
        args: { title: 'b64-read' },
        token: tokenFor(app(), ['todo:read']),
        mcpName: '=?base64?Y3JlYXRlX3RvZG8=?=',
      });
      expectRefusal(response, 403, 'insufficient_scope');
      const challenge = parseBearerChallenge(response.headers['www-authenticate']);
      expect(challenge?.error).toBe('insufficient_scope');
      expect(challenge?.scope?.split(' ')).toContain('todo:write');
      expect(app().todos.length).toBe(before);
    });

    it('B3: an invalid sentinel (=?base64?%%%?=) is 400 invalid_request, and such 400s are not failed authentications (7 with limit 5, then a never-seen valid token gets 200, not 429)', async () => {
      for (let attempt = 0; attempt < 7; attempt += 1) {
        const response = await callTool(app(), {
          era: MODERN_VERSION,
          tool: 'create_todo',
          args: { title: 'bad-sentinel' },
          token: tokenFor(app(), ['todo:write'], `sentinel-${attempt}`),
          mcpName: '=?base64?%%%?=',
        });
        expectRefusal(response, 400, 'invalid_request');
      }
      const fresh = await callTool(app(), { era: MODERN_VERSION, token: tokenFor(app(), [], 'never-seen-b3') });
      expect(outcome(fresh)).toEqual({ status: 200, error: undefined });
    });
  });

  describe('finding C: the Origin check applies to the path the router routes', () => {
    const app = useFixture(platform);

    it('C1: POST /mcp#x (raw request target) with Origin https://evil.example and a todo:write token: 403 forbidden_origin, no todo', async () => {
      const response = await callTool(app(), {
        tool: 'create_todo',
        args: { title: 'via-fragment' },
        token: tokenFor(app(), ['todo:write']),
        target: '/mcp#x',
        headers: { origin: 'https://evil.example' },
      });
      expect(app().todos.filter((todo) => todo.title === 'via-fragment')).toEqual([]);
      expect(outcome(response)).toEqual({ status: 403, error: 'forbidden_origin' });
    });

    it.each([
      // The Origin check comes first, on the path the router routes: the absolute form reaches /mcp, so it applies.
      [
        'with Origin https://evil.example: 403 forbidden_origin',
        { origin: 'https://evil.example' },
        403,
        'forbidden_origin',
      ],
      ['without Origin: 400 invalid_request (origin-form only)', {}, 400, 'invalid_request'],
    ] as const)(
      'C2: an absolute-form request target (POST http://127.0.0.1:<port>/mcp) %s, no tool runs, no 5xx',
      async (_name, headers, status, error) => {
        const response = await callTool(app(), {
          tool: 'create_todo',
          args: { title: 'via-absolute-form' },
          token: tokenFor(app(), ['todo:write']),
          target: `http://127.0.0.1:${app().port}/mcp`,
          headers,
        });
        expect(app().todos.filter((todo) => todo.title === 'via-absolute-form')).toEqual([]);
        expectRefusal(response, status, error);
      },
    );

    /*
     * The two routers disagree on which spellings of /mcp reach the MCP route: Express matches case-insensitively and
     * ignores a trailing slash, but does not decode the path; Fastify is case-sensitive and strict about the slash,
     * but percent-decodes the path before matching (/%6Dcp is /mcp). Whatever reaches the route gets the Origin
     * check (403); what does not is the router's 404. Never a tool.
     */
    it.each([
      ['/MCP', { express: 'routed', fastify: 'not routed' }],
      ['/mcp/', { express: 'routed', fastify: 'not routed' }],
      ['/%6Dcp', { express: 'not routed', fastify: 'routed' }],
      ['/%6dcp', { express: 'not routed', fastify: 'routed' }],
    ] as const)(
      `C3: POST %s with Origin https://evil.example and a todo:write token: 403 forbidden_origin where ${platform} routes it to /mcp, else 404; no todo`,
      async (target, routing) => {
        const response = await callTool(app(), {
          tool: 'create_todo',
          args: { title: `via-${target}` },
          token: tokenFor(app(), ['todo:write']),
          target,
          headers: { origin: 'https://evil.example' },
        });
        expect(app().todos.filter((todo) => todo.title === `via-${target}`)).toEqual([]);
        if (routing[platform] === 'routed') expectRefusal(response, 403, 'forbidden_origin');
        else expect(response.status).toBe(404);
      },
    );
  });

  describe('finding D: a batch the SDK refuses is refused before it is authorized or audited', () => {
    const app = useFixture(platform);

    /** 1,400 `tools/call whoami` messages without ids (with ids they would not fit under Express's 100 KB limit). */
    const bigBatch = `[${Array.from({ length: 1400 }, () => '{"jsonrpc":"2.0","method":"tools/call","params":{"name":"whoami"}}').join(',')}]`;
    const batchOf = (count: number) =>
      `[${Array.from({ length: count }, (_, index) => toolCallBody(LEGACY_VERSION, 'whoami', {}, index + 1)).join(',')}]`;

    /** Sends one request, waits for its events, and returns the response with every event it produced. */
    async function withEvents(request: CallOptions): Promise<{ response: RawResponse; events: McpOAuthEvent[] }> {
      const from = app().events.length;
      const response = await callTool(app(), request);
      const barrier = await settle(app());
      const events = app()
        .events.slice(from)
        .filter((event) => !('correlationId' in event && event.correlationId === barrier));
      return { response, events };
    }

    it.each([
      ['a valid token', 'valid'],
      ['a junk token', 'junk'],
    ] as const)(
      'D1: a JSON array of 1,400 tools/call whoami (under 100 KB) with %s: 400 invalid_request and zero tool_call events',
      async (_name, kind) => {
        expect(Buffer.byteLength(bigBatch)).toBeLessThan(100 * 1024);
        const { response, events } = await withEvents({
          token: kind === 'valid' ? tokenFor(app(), [], 'batcher') : JUNK_TOKEN,
          body: bigBatch,
        });
        expect(events.filter((event) => event.type === 'tool_call').length).toBe(0);
        expect(events.length).toBeLessThanOrEqual(100);
        expectRefusal(response, 400, 'invalid_request');
      },
    );

    it('D2: a batch of 3 tools/call with a valid token is not refused for its size (200, three answers)', async () => {
      const response = await callTool(app(), { token: tokenFor(app(), [], 'small-batch'), body: batchOf(3) });
      expect(outcome(response)).toEqual({ status: 200, error: undefined });
      expect(
        rpcMessages(response)
          .map((message) => message.id)
          .sort(),
      ).toEqual([1, 2, 3]);
    });

    it('D3: one request never produces more than 100 events: a batch of 101 calls is refused with none, one of 100 calls gives at most 100', async () => {
      const over = await withEvents({ token: tokenFor(app(), [], 'batch-101'), body: batchOf(101) });
      expect(over.events.filter((event) => event.type === 'tool_call').length).toBe(0);
      expectRefusal(over.response, 400, 'invalid_request');

      const full = await withEvents({ token: tokenFor(app(), [], 'batch-100'), body: batchOf(100) });
      expect(full.response.status).toBe(200);
      expect(full.events.filter((event) => event.type === 'tool_call').length).toBeGreaterThan(0);
      expect(full.events.length).toBeLessThanOrEqual(100);
    });
  });

  describe('finding F: tools the library does not know are denied by default (unknownTools: "deny")', () => {
    const app = useFixture(platform);

    it.each(ERAS)(
      'F1 (%s): tools/call of an unknown tool with a valid token: 403 unknown_tool naming the tool, no insufficient_scope challenge',
      async (era) => {
        const response = await callTool(app(), {
          era,
          tool: 'delete_everything',
          token: tokenFor(app(), ['todo:read', 'todo:write']),
        });
        expectRefusal(response, 403, 'unknown_tool');
        expect(String(jsonBody(response)?.error_description)).toContain('delete_everything');
        expect(response.headers['www-authenticate'] ?? '').not.toContain('insufficient_scope');
      },
    );

    it('F2: unknown-tool refusals are not failed authentications (7 with limit 5, then a never-seen valid token gets 200)', async () => {
      for (let attempt = 0; attempt < 7; attempt += 1) {
        const response = await callTool(app(), {
          tool: 'delete_everything',
          token: tokenFor(app(), [], `unknown-${attempt}`),
        });
        expect(outcome(response)).toEqual({ status: 403, error: 'unknown_tool' });
      }
      const fresh = await callTool(app(), { token: tokenFor(app(), [], 'never-seen-f2') });
      expect(outcome(fresh)).toEqual({ status: 200, error: undefined });
    });
  });

  describe('finding F: unknownTools: "allow" lets unknown tools through to the SDK', () => {
    const app = useFixture(platform, { unknownTools: 'allow' });

    it('F3: the guard does not refuse the unknown tool; the SDK answers with its own JSON-RPC error (not 403, not 5xx)', async () => {
      const response = await callTool(app(), { tool: 'delete_everything', token: tokenFor(app(), []) });
      expect(response.status).not.toBe(403);
      expect(response.status).toBeLessThan(500);
      expect(JSON.stringify(rpcMessages(response))).toContain('delete_everything');
    });
  });

  describe('finding G: principal is stable for one issuer and differs across unrelated issuers', () => {
    const OTHER_ISSUER = 'https://unrelated-as.example';
    let app: SdkWiredApp | undefined;
    const fixture = () => app as SdkWiredApp;

    beforeAll(async () => {
      // Two accepted issuers that share the LocalIssuer's keys: tokens for the other one are minted with an `iss` override.
      app = await startSdkWiredApp(
        issuer,
        { jwks: { issuer: [issuer.url, OTHER_ISSUER], jwksUri: issuer.jwksUri } },
        platform,
      );
    });
    afterAll(async () => {
      await app?.close();
    });

    async function me(token: string): Promise<Record<string, unknown>> {
      const response = await fetch(`${fixture().baseUrl}/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    }

    it('G1: same sub from the same issuer gives the same principal; the same sub from an unrelated issuer gives another', async () => {
      const audience = fixture().mcpUrl;
      const first = await me(issuer.mintToken({ audience, subject: 'alice' }));
      const again = await me(issuer.mintToken({ audience, subject: 'alice' }));
      const other = await me(issuer.mintToken({ audience, subject: 'alice', issuer: OTHER_ISSUER }));
      expect({ first: first.subject, other: other.subject, otherIssuer: other.issuer }).toEqual({
        first: 'alice',
        other: 'alice',
        otherIssuer: OTHER_ISSUER,
      });
      expect(first.principal).toEqual(expect.any(String));
      expect(other.principal).toEqual(expect.any(String));
      expect(again.principal).toBe(first.principal);
      expect(other.principal).not.toBe(first.principal);
    });

    it('G2: the MCP server gets the same principal in the AuthInfo the SDK hands its factory', async () => {
      const audience = fixture().mcpUrl;
      const token = issuer.mintToken({ audience, subject: 'alice', scopes: ['todo:write'] });
      const { principal } = await me(token);
      const response = await callTool(fixture(), { tool: 'create_todo', args: { title: 'whose' }, token });
      expect(response.status).toBe(200);
      expect(principal).toEqual(expect.any(String));
      expect(fixture().todos.at(-1)).toEqual({ title: 'whose', subject: 'alice', principal });
    });
  });

  describe("finding H: correlation ids are the server's; the caller's X-Request-Id is kept apart", () => {
    const app = useFixture(platform);

    it('H1: X-Request-Id: forged-id gets a server-generated UUID back; the tool_call event carries it as correlationId and clientRequestId "forged-id"', async () => {
      const response = await callTool(app(), { token: tokenFor(app(), []), headers: { 'x-request-id': 'forged-id' } });
      expect(response.status).toBe(200);
      const correlationId = response.headers['x-request-id'];
      expect(correlationId).toMatch(UUID);
      await eventually(
        () => toolCallEvents(app()).some((event) => event.correlationId === correlationId),
        'a tool_call event under the response X-Request-Id',
      );
      expect(toolCallEvents(app()).filter((event) => event.correlationId === correlationId)).toEqual([
        expect.objectContaining({ tool: 'whoami', correlationId, clientRequestId: 'forged-id' }),
      ]);
    });

    it("H2: the same holds for a denial: the denied event carries the server id and the caller's as clientRequestId", async () => {
      const response = await callTool(app(), { token: null, headers: { 'x-request-id': 'forged-id' } });
      expect(response.status).toBe(401);
      const correlationId = response.headers['x-request-id'];
      expect(correlationId).toMatch(UUID);
      expect(app().events.filter((event) => event.type === 'denied' && event.correlationId === correlationId)).toEqual([
        expect.objectContaining({ correlationId, clientRequestId: 'forged-id' }),
      ]);
    });
  });

  describe('finding I: no 5xx from an authenticated caller (SDK-wired fixture)', () => {
    const app = useFixture(platform);

    const deepTitle = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const deepBody = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create_todo","arguments":{"title":${deepTitle}}}}`;

    /** A create_todo with a todo:write token: the caller is authorized for what it asks, so only the form is wrong. */
    const createTodo = (fixture: SdkWiredApp, options: Partial<CallOptions> = {}) =>
      toolCallRequest({
        tool: 'create_todo',
        args: { title: 'i-case' },
        token: tokenFor(fixture, ['todo:write']),
        ...options,
      });

    /** `by: 'fastify'`: Fastify answers itself before any guard runs (see {@link expectFastifyRefusal}). */
    const cases: Array<{
      name: string;
      build: (fixture: SdkWiredApp) => RawRequest;
      status: number;
      error: string;
      by?: 'fastify';
    }> = [
      {
        name: 'a text/plain body over 4 MiB',
        build: (fixture) => ({
          ...createTodo(fixture, { contentType: 'text/plain' }),
          body: Buffer.alloc(4 * 1024 * 1024 + 512 * 1024, 'x'),
        }),
        // Express leaves a text/plain body unread (the guard's 415); Fastify refuses a body over its bodyLimit (1 MiB)
        // from its Content-Length, with its own 413, before any guard runs.
        ...(platform === 'fastify'
          ? { status: 413, error: "(Fastify's own, before the guard)", by: 'fastify' as const }
          : { status: 415, error: 'unsupported_media_type' }),
      },
      {
        name: 'an absolute-form request target',
        build: (fixture) => createTodo(fixture, { target: `http://127.0.0.1:${fixture.port}/mcp` }),
        status: 400,
        error: 'invalid_request',
      },
      ...['[', 'a b', 'a%zz'].map((host) => ({
        name: `Host: ${host}`,
        build: (fixture: SdkWiredApp) => createTodo(fixture, { headers: { Host: host } }),
        status: 400,
        error: 'invalid_request',
      })),
      {
        name: 'create_todo whose arguments nest 20,000 levels deep (an array in title, under the 100 KB JSON limit)',
        build: (fixture) => createTodo(fixture, { body: deepBody }),
        status: 400,
        error: 'invalid_request',
      },
    ];

    it.each(cases)(
      'I: $name -> $status $error; then /healthz and a normal call still 200',
      async ({ build, status, error, by }) => {
        expect(Buffer.byteLength(deepBody)).toBeLessThan(100 * 1024);
        const response = await exchange(app().port, build(app()));
        expect(response.status).toBeLessThan(500);
        if (by === 'fastify') expectFastifyRefusal(response, status);
        else expectRefusal(response, status, error);
        expect(app().todos).toEqual([]);
        await expectStillServing(app());
      },
    );
  });
});
