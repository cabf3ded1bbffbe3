import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type LocalIssuer, parseBearerChallenge } from 'nestjs-mcp-oauth/testing';
import { CaptureLogger } from './support/capture-logger.js';
import { httpRequest } from './support/http.js';
import { b64url, flipChar, segment } from './support/hostile-tokens.js';
import { MCP_HEADERS, toolCall } from './support/mcp-requests.js';
import { type SampleUrls, type SampleWithIssuer, startSampleWithIssuer } from './support/sample-app.js';

/*
 * Property-based fuzzing of the running sample app (Scalekit mode) over real HTTP. For every generated request:
 * the status is never >= 500, the connection is answered (the app does not crash), and where the input cannot be a
 * valid credential the answer is a proper 401 challenge. Across the run, no unhandled promise rejection and no
 * unexpected-exception log line. Bounded: every property sets numRuns explicitly (about 500 requests in total).
 */

const RESOURCE_ID = 'res_fuzz';
const WHOAMI = JSON.stringify(toolCall('whoami'));

let fixture: SampleWithIssuer;
let issuer: LocalIssuer;
let urls: SampleUrls;
let audience: string[];
const logger = new CaptureLogger();
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const statuses: number[] = [];

/** POSTs a whoami tools/call with the given Authorization value through fetch; `undefined` when fetch refuses the value. */
async function viaFetch(
  authorization: string,
): Promise<{ status: number; challenge: string | null; body: string } | undefined> {
  try {
    new Headers({ authorization });
  } catch {
    return undefined; // the client refuses the header value (CR, LF, NUL, a code point above U+00FF...)
  }
  let response: Response;
  try {
    response = await fetch(urls.mcp, { method: 'POST', headers: { ...MCP_HEADERS, authorization }, body: WHOAMI });
  } catch (error) {
    // undici validates header bytes again when it writes the request (e.g. control characters): still client-side.
    if ((error as { cause?: { code?: string } }).cause?.code === 'UND_ERR_INVALID_ARG') return undefined;
    throw error;
  }
  const body = await response.text();
  statuses.push(response.status);
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body };
}

/** The same through node:http, which sends latin1 bytes as they are (so UTF-8 encoded text arrives as raw bytes). */
async function viaNodeHttp(authorization: string) {
  try {
    const response = await httpRequest(urls.mcp, { headers: { ...MCP_HEADERS, authorization }, body: WHOAMI });
    statuses.push(response.status);
    const header = response.headers['www-authenticate'];
    return { status: response.status, challenge: typeof header === 'string' ? header : null, body: response.body };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_INVALID_CHAR' || code === 'ERR_HTTP_INVALID_HEADER_VALUE') return undefined;
    throw error;
  }
}

/** A 401 with a parseable challenge pointing at our metadata; `invalid_token` when `withError`, else no `error` or it. */
function expectChallenge(
  result: { status: number; challenge: string | null },
  options: { invalidToken?: boolean } = {},
): void {
  expect(result.status).toBe(401);
  const challenge = parseBearerChallenge(result.challenge);
  expect(challenge?.resource_metadata).toBe(urls.metadataPath);
  if (options.invalidToken) {
    expect(challenge?.error).toBe('invalid_token');
    expect(challenge?.error_description).toEqual(expect.any(String));
  } else {
    expect([undefined, 'invalid_token']).toContain(challenge?.error);
  }
}

/** A signed token's segments decoded to bytes (what a base64url decoder that ignores trailing bits sees). */
function decodedSegments(token: string): string[] {
  return token.split('.').map((part) => Buffer.from(part, 'base64url').toString('hex'));
}

describe('fuzzing the sample app (Scalekit mode)', () => {
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    fixture = await startSampleWithIssuer({ resourceId: RESOURCE_ID, logger });
    ({ issuer, urls, audience } = fixture);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await fixture?.close();
  });

  const validToken = () => fixture.token(['todo:read'], { subject: 'fuzz' });

  it('arbitrary Authorization values (fetch): always a 401 challenge, never a 5xx', async () => {
    const value = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc
        .tuple(
          fc.constantFrom('Bearer ', 'bearer ', 'BEARER  ', 'Bearer\t', 'Bearer', 'Basic ', 'DPoP ', ' ', ''),
          fc.string({ unit: 'binary-ascii', maxLength: 200 }),
        )
        .map(([scheme, rest]) => `${scheme}${rest}`),
    );
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(value, async (authorization) => {
        const result = await viaFetch(authorization);
        fc.pre(result !== undefined);
        sent += 1;
        expect(result?.status).toBeLessThan(500);
        expectChallenge(result as NonNullable<typeof result>);
      }),
      { numRuns: 120 },
    );
    expect(sent).toBeGreaterThan(60);
  });

  it('arbitrary Unicode sent as raw UTF-8 bytes (node:http): a 401 challenge, never a 5xx', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('Bearer ', 'bearer ', ''),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
        async (scheme, text) => {
          const result = await viaNodeHttp(`${scheme}${Buffer.from(text, 'utf8').toString('latin1')}`);
          fc.pre(result !== undefined);
          sent += 1;
          expectChallenge(result as NonNullable<typeof result>);
        },
      ),
      { numRuns: 60 },
    );
    expect(sent).toBeGreaterThan(20);
  });

  it('Bearer + a random b64token: 401 invalid_token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,400}=*$/), async (token) => {
        const result = await viaFetch(`Bearer ${token}`);
        expect(result).toBeDefined();
        expectChallenge(result as NonNullable<typeof result>, { invalidToken: true });
      }),
      { numRuns: 80 },
    );
  });

  it('JWT-shaped tokens from random segments: 401 invalid_token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = fc.oneof(
      fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
      fc.record(
        {
          alg: fc.constantFrom('RS256', 'none', 'None', 'HS256', 'ES256', 'PS256', 'RS512', 'EdDSA', ''),
          kid: fc.oneof(fc.constant(issuer.currentKid), fc.string({ maxLength: 40 }), fc.integer()),
          typ: fc.constantFrom('JWT', 'at+jwt', 'JWE'),
          crit: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
          jku: fc.webUrl(),
        },
        { requiredKeys: ['alg'] },
      ),
    );
    const payload = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          iss: fc.oneof(fc.constant(issuer.issuer), fc.constant(issuer.url), fc.string()),
          aud: fc.oneof(fc.constant(audience), fc.constant(RESOURCE_ID), fc.array(fc.string(), { maxLength: 3 })),
          sub: fc.oneof(fc.string(), fc.integer()),
          exp: fc.oneof(fc.constant(now + 300), fc.integer(), fc.double()),
          nbf: fc.integer({ min: now - 100, max: now + 100 }),
          iat: fc.integer({ min: now - 100, max: now + 100 }),
          scopes: fc.oneof(fc.array(fc.string()), fc.string(), fc.constant(['todo:read', 'todo:write'])),
        },
        { requiredKeys: [] },
      ),
    );
    const raw = fc.oneof(
      fc.jsonValue({ maxDepth: 1 }).map((value) => JSON.stringify(value)),
      fc.string({ unit: 'binary', maxLength: 60 }),
    );
    const token = fc
      .tuple(
        fc.oneof(
          { weight: 4, arbitrary: header.map(segment) },
          { weight: 1, arbitrary: raw.map((text) => b64url(text)) },
        ),
        fc.oneof(
          { weight: 4, arbitrary: payload.map(segment) },
          { weight: 1, arbitrary: raw.map((text) => b64url(text)) },
        ),
        fc.uint8Array({ maxLength: 300 }).map((bytes) => b64url(bytes)),
      )
      .map((parts) => parts.join('.'));
    await fc.assert(
      fc.asyncProperty(token, async (candidate) => {
        const result = await viaFetch(`Bearer ${candidate}`);
        expect(result).toBeDefined();
        expectChallenge(result as NonNullable<typeof result>, { invalidToken: true });
      }),
      { numRuns: 100 },
    );
  });

  it('a valid token with one character flipped: 401 invalid_token (unless the decoded bytes are unchanged)', async () => {
    const original = validToken();
    const originalBytes = decodedSegments(original);
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), fc.nat(), fc.nat(), async (segmentIndex, position, seed) => {
        const parts = original.split('.');
        parts[segmentIndex] = flipChar(parts[segmentIndex], position % parts[segmentIndex].length, seed);
        const mutated = parts.join('.');
        const result = await viaFetch(`Bearer ${mutated}`);
        expect(result).toBeDefined();
        const { status } = result as NonNullable<typeof result>;
        // The signing input is the encoded header and payload, so any change there must fail. In the signature,
        // a flip of the last character's unused low bits decodes to the same bytes (non-canonical base64url):
        // only then may the token still be accepted.
        const sameSignatureBytes = segmentIndex === 2 && decodedSegments(mutated)[2] === originalBytes[2];
        if (status === 200) expect(sameSignatureBytes).toBe(true);
        else {
          rejected += 1;
          expectChallenge(result as NonNullable<typeof result>, { invalidToken: true });
        }
      }),
      { numRuns: 100 },
    );
    expect(rejected).toBeGreaterThan(80);
  });

  it('validly signed tokens with random claim values: never a 5xx', async () => {
    const claim = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    const overrides = fc.record(
      {
        sub: claim,
        client_id: claim,
        azp: claim,
        scope: claim,
        scp: claim,
        scopes: claim,
        aud: claim,
        iss: claim,
        exp: claim,
        nbf: claim,
        iat: claim,
        jti: claim,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(overrides, fc.constantFrom('whoami', 'list_todos', 'create_todo'), async (claims, tool) => {
        const token = fixture.token(['todo:read'], { subject: 'fuzz', claims });
        const response = await httpRequest(urls.mcp, {
          headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` },
          body: JSON.stringify(toolCall(tool, tool === 'create_todo' ? { title: 'fuzz' } : {})),
        });
        statuses.push(response.status);
        expect([200, 401, 403]).toContain(response.status);
        if (response.status !== 200) {
          expect(parseBearerChallenge(response.headers['www-authenticate'] as string)?.resource_metadata).toBe(
            urls.metadataPath,
          );
        }
      }),
      { numRuns: 80 },
    );
  });

  it('never answered with a 5xx, had no unhandled rejection, logged no unexpected exception, and still serves', async () => {
    expect(statuses.length).toBeGreaterThan(300);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(logger.lines.filter((line) => line.includes('ExceptionsHandler'))).toEqual([]);
    expect((await fetch(urls.health)).status).toBe(200);
    const response = await httpRequest(urls.mcp, {
      headers: { ...MCP_HEADERS, authorization: `Bearer ${validToken()}` },
      body: WHOAMI,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ result: { structuredContent: { sub: 'fuzz' } } });
  });
});
