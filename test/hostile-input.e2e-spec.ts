import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPublicKey, type JsonWebKey, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type LocalIssuer, type MintTokenOptions, parseBearerChallenge } from 'nestjs-mcp-oauth/testing';
import { AttackerKeyServer } from './support/hostile-attacker-server.js';
import { CaptureLogger } from './support/capture-logger.js';
import { captureConsole, type ConsoleCapture } from './support/console-capture.js';
import { exchange, type HttpResponse, httpRequest, type RawRequest } from './support/http.js';
import { findLeaks } from './support/hostile-leak-check.js';
import { attackerKeyPair, b64url, hmacJwt, randomB64url, segment, signJwt } from './support/hostile-tokens.js';
import { MCP_HEADERS, toolCall } from './support/mcp-requests.js';
import { HTTP_PLATFORMS, type HttpPlatform } from './support/platforms.js';
import { type SampleUrls, type SampleWithIssuer, startSampleWithIssuerInOwnRegistry } from './support/sample-app.js';

/*
 * A catalogue of hostile requests against the sample app in Scalekit mode (LocalIssuer stand-in), each row asserting
 * the HTTP status and the parsed WWW-Authenticate parameters, then: no 5xx anywhere, no fetch to token-named key
 * URLs, the app still serves a valid token, and no log line (Nest logger or console) holds a token or a fragment.
 *
 * Decisions on ambiguous cases:
 * - Whitespace between `Bearer` and the token: RFC 6750 §2.1 is `"Bearer" 1*SP b64token`, so several spaces are
 *   valid; the library (bearer-credentials.ts) accepts any run of spaces and tabs. Rows: several spaces -> 200, a tab
 *   -> 200. A scheme glued to the token (`Bearer<token>`) is another scheme: no credentials (401 without `error`).
 * - Audience comparison is exact, character for character (MCP's canonical resource URI + RFC 8707, RFC 9068 §4):
 *   our URL with another scheme/path case, port, host spelling (localhost vs 127.0.0.1), a trailing slash, a query,
 *   a fragment or a dot segment is someone else's audience -> 401 invalid_token. Same for `iss` (trailing slash,
 *   case). The resource id `res_...` alone is accepted (Scalekit issues that form); its case is significant.
 * - `Bearer` with an empty token is a malformed credential -> 401 invalid_token (README, "What clients see":
 *   malformed -> invalid_token); an empty Authorization header is no credentials -> 401 without `error`.
 * - A JWS with base64 padding (`=`) is malformed: RFC 7515 §2 defines base64url with the `=` padding omitted, and
 *   §7.1 the compact serialization from those segments -> 401 invalid_token.
 * - A token in a JSON body's `access_token` is not a credential (RFC 6750 §2.2 covers form bodies only): no
 *   credentials; a form body or query token is 400 invalid_request (the README's table, "What clients see").
 * - Requests Node's HTTP parser refuses (header section over 16 KiB -> 431, a bare CR in a header -> 400) never reach
 *   the app: the row asserts that 4xx and that no challenge was sent.
 * - The catalogue runs on Express and on Fastify (the sample's MCP_HTTP_PLATFORM). Where the two legitimately answer
 *   differently, the row gives one expectation per platform and says why; the invariants hold on both: no tool runs
 *   with a scope the token lacks, no 5xx, no token in any response or log line, RFC 6750 challenges as in the README.
 * - Each router reaches the MCP route from other spellings of /mcp, and the Origin check must apply to whatever it
 *   reaches: Express matches case-insensitively and ignores a trailing slash (`/MCP`, `/mcp/` are served) but does not
 *   decode the path; Fastify is case-sensitive and strict about the slash (404) but percent-decodes the path before
 *   matching (`/%6Dcp` is served). What the router does not route is its 404.
 * - Bodies are parsed by the framework before the guard runs (Express: body-parser middleware; Fastify: its content
 *   type parsers), and each framework refuses some bodies itself, with no challenge (`refused_by_framework`): Express
 *   limits JSON to 100 KB, rejects JSON texts that are not an object or array, and honours `charset`; Fastify limits
 *   bodies to 1 MiB, refuses an empty JSON body, a body without Content-Type and `__proto__` / `constructor.prototype`
 *   keys, and decodes JSON as UTF-8 whatever the `charset`.
 */

const RESOURCE_ID = 'res_e2e';
const CRLF_INJECTION = 'x\r\nSet-Cookie: pwned=1\r\nX-Injected: 1';
const QUOTE_INJECTION = 'x", error="insufficient_scope", scope="admin", resource_metadata="https://evil.example.com/';

let fixture: SampleWithIssuer;
let issuer: LocalIssuer;
let urls: SampleUrls;
let attacker: AttackerKeyServer;
let audience: string[];
let port = 0;
/** A token signed by the key that was current before the rotation (still published). */
let preRotationToken: string;
let previousKid: string;
/** What the app logged (a fresh one per platform). */
let logger: CaptureLogger;
/** Every token and Authorization header value sent during the catalogue (of the platform under test). */
const sentSecrets = new Set<string>();
const outcomes = new Map<string, number>();

/** What a row expects. Each kind fixes the status and what the challenge may and must contain. */
type Expectation =
  | { kind: 'served'; subject?: string; title?: string }
  | { kind: 'no_credentials'; scope?: string }
  | { kind: 'invalid_token' }
  | { kind: 'invalid_request' }
  | { kind: 'invalid_mcp_request' }
  | { kind: 'insufficient_scope'; scope: string }
  | { kind: 'unknown_tool' }
  | { kind: 'forbidden_origin' }
  | { kind: 'unsupported_media_type' }
  | { kind: 'refused_by_node'; status: 400 | 431 }
  /** The framework's own answer before any guard ran (a body parser): no challenge, not the library's error body. */
  | { kind: 'refused_by_framework'; status: 400 | 413 | 415 }
  /** The router's 404: no route for this spelling of the path, so nothing ran. */
  | { kind: 'not_routed' };

interface HostileRequest {
  path?: string;
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  /** Written verbatim on a socket instead (for bytes node:http refuses to send). */
  raw?: RawRequest;
  /** Credentials carried outside the Authorization header (query, body). */
  secrets?: string[];
}

interface Row {
  name: string;
  build: () => HostileRequest;
  /** What both platforms answer; or one expectation per platform where they legitimately differ (the row says why). */
  expect: Expectation | Record<HttpPlatform, Expectation>;
}

function expectationOn(row: Row, platform: HttpPlatform): Expectation {
  return 'kind' in row.expect ? row.expect : row.expect[platform];
}

const now = () => Math.floor(Date.now() / 1000);

/** A valid token (read scope) with any option overridden. */
function mint(options: MintTokenOptions = {}): string {
  return fixture.token(['todo:read'], { subject: 'hostile', ...options });
}

/** A claims set that would be accepted if only its signature were: the forger's goal. */
function forgedClaims(): Record<string, unknown> {
  return {
    iss: issuer.issuer,
    sub: 'mallory',
    aud: audience,
    client_id: 'evil',
    jti: randomUUID(),
    iat: now(),
    nbf: now(),
    exp: now() + 300,
    scopes: ['todo:read', 'todo:write'],
  };
}

function currentJwk(): JsonWebKey & { kid: string; n: string } {
  return issuer.jwks().keys.find((key) => key.kid === issuer.currentKid) as JsonWebKey & { kid: string; n: string };
}

function currentPublicKey() {
  return createPublicKey({ key: currentJwk(), format: 'jwk' });
}

/** A POST /mcp carrying `Authorization: <scheme><separator><token>` and a tools/call. */
function call(
  token: string | undefined,
  options: {
    tool?: string;
    args?: Record<string, unknown>;
    scheme?: string;
    separator?: string;
    headers?: Record<string, string | string[]>;
    body?: string;
    path?: string;
  } = {},
): HostileRequest {
  const headers: Record<string, string | string[]> = { ...MCP_HEADERS };
  if (token !== undefined) headers.authorization = `${options.scheme ?? 'Bearer'}${options.separator ?? ' '}${token}`;
  return {
    path: options.path,
    headers: { ...headers, ...options.headers },
    body: options.body ?? JSON.stringify(toolCall(options.tool ?? 'whoami', options.args ?? {})),
    secrets: token === undefined ? [] : [token],
  };
}

const bearer =
  (token: () => string, options: Parameters<typeof call>[1] = {}) =>
  () =>
    call(token(), options);
const INVALID: Expectation = { kind: 'invalid_token' };
const NO_CREDENTIALS: Expectation = { kind: 'no_credentials' };
/** A tools/call of a tool the library does not know: refused (403 unknown_tool) before any token is looked at. */
const UNKNOWN_TOOL: Expectation = { kind: 'unknown_tool' };
/** MCP framing the MCP server would read differently or refuse (e.g. Mcp-Name against the body): 400, no challenge. */
const INVALID_MCP_REQUEST: Expectation = { kind: 'invalid_mcp_request' };
const SERVED: Expectation = { kind: 'served' };

const createTodo = { tool: 'create_todo', args: { title: 'hostile' } };
const deleteTodo = { tool: 'delete_todo', args: { id: 'nope' } };
const writeToken = (claims: Record<string, unknown>) => () =>
  issuer.mintToken({ audience, subject: 'hostile', claims: { scopes: undefined, ...claims } });

/* ------------------------------------------------------------------------------------------------------------ */

const algorithmRows: Row[] = [
  {
    name: 'alg none, empty signature',
    build: bearer(() => `${segment({ alg: 'none', typ: 'JWT' })}.${segment(forgedClaims())}.`),
    expect: INVALID,
  },
  {
    name: 'alg none, kid of the real key, original signature kept',
    build: bearer(() => {
      const [, payload, signature] = mint().split('.');
      return `${segment({ alg: 'none', kid: issuer.currentKid })}.${payload}.${signature}`;
    }),
    expect: INVALID,
  },
  {
    name: 'alg "None"',
    build: bearer(() => `${segment({ alg: 'None' })}.${segment(forgedClaims())}.`),
    expect: INVALID,
  },
  {
    name: 'alg "NONE"',
    build: bearer(() => `${segment({ alg: 'NONE' })}.${segment(forgedClaims())}.`),
    expect: INVALID,
  },
  {
    name: 'alg missing from the header, real signature',
    build: bearer(() => issuer.sign({ typ: 'JWT', kid: issuer.currentKid }, forgedClaims())),
    expect: INVALID,
  },
  {
    name: 'alg as an array ["RS256"], real signature',
    build: bearer(() => issuer.sign({ alg: ['RS256'], kid: issuer.currentKid }, forgedClaims())),
    expect: INVALID,
  },
  {
    name: 'key confusion: HS256 keyed with the RSA public key as SPKI PEM',
    build: bearer(() =>
      hmacJwt(
        'HS256',
        { typ: 'JWT', kid: issuer.currentKid },
        forgedClaims(),
        currentPublicKey().export({ type: 'spki', format: 'pem' }),
      ),
    ),
    expect: INVALID,
  },
  {
    name: 'key confusion: HS256 keyed with the RSA public key as PKCS#1 PEM',
    build: bearer(() =>
      hmacJwt(
        'HS256',
        { kid: issuer.currentKid },
        forgedClaims(),
        currentPublicKey().export({ type: 'pkcs1', format: 'pem' }),
      ),
    ),
    expect: INVALID,
  },
  {
    name: 'key confusion: HS256 keyed with the SPKI DER bytes',
    build: bearer(() =>
      hmacJwt(
        'HS256',
        { kid: issuer.currentKid },
        forgedClaims(),
        currentPublicKey().export({ type: 'spki', format: 'der' }),
      ),
    ),
    expect: INVALID,
  },
  {
    name: 'key confusion: HS256 keyed with the published JWK as JSON',
    build: bearer(() => hmacJwt('HS256', { kid: issuer.currentKid }, forgedClaims(), JSON.stringify(currentJwk()))),
    expect: INVALID,
  },
  {
    name: 'key confusion: HS256 keyed with the JWK modulus bytes (n)',
    build: bearer(() =>
      hmacJwt('HS256', { kid: issuer.currentKid }, forgedClaims(), Buffer.from(currentJwk().n, 'base64url')),
    ),
    expect: INVALID,
  },
  {
    name: 'key confusion: HS512 keyed with the SPKI PEM, no kid',
    build: bearer(() =>
      hmacJwt('HS512', {}, forgedClaims(), currentPublicKey().export({ type: 'spki', format: 'pem' })),
    ),
    expect: INVALID,
  },
  {
    name: 'PS256 header over an RS256 signature of the real key (alg not allowed)',
    build: bearer(() => issuer.sign({ alg: 'PS256', typ: 'JWT', kid: issuer.currentKid }, forgedClaims())),
    expect: INVALID,
  },
  {
    name: 'ES256 header and kid of the RSA key, signed by an attacker EC key',
    build: bearer(() =>
      signJwt(attackerKeyPair('ec').privateKey, { alg: 'ES256', kid: issuer.currentKid }, forgedClaims()),
    ),
    expect: INVALID,
  },
];

const keyRows: Row[] = [
  { name: 'unknown kid', build: bearer(() => mint({ header: { kid: 'unknown-kid' } })), expect: INVALID },
  {
    name: 'kid with path traversal',
    build: bearer(() => mint({ header: { kid: '../../../../etc/passwd' } })),
    expect: INVALID,
  },
  { name: 'kid as a number', build: bearer(() => mint({ header: { kid: 12345 } })), expect: INVALID },
  { name: 'kid as an object', build: bearer(() => mint({ header: { kid: { $ne: null } } })), expect: INVALID },
  {
    name: 'no kid while the JWKS publishes several keys (after a rotation with keepPrevious)',
    build: bearer(() => mint({ header: { kid: undefined } })),
    expect: INVALID,
  },
  {
    name: 'kid of the previous (still published) key, signed by the current key',
    build: bearer(() => mint({ header: { kid: previousKid } })),
    expect: INVALID,
  },
  {
    name: 'control: a token of the previous, still-published key is accepted',
    build: bearer(() => preRotationToken),
    expect: SERVED,
  },
  {
    name: 'signed by an attacker key under the kid of the real key',
    build: bearer(() =>
      signJwt(attackerKeyPair().privateKey, { alg: 'RS256', kid: issuer.currentKid }, forgedClaims()),
    ),
    expect: INVALID,
  },
  {
    name: 'jku to the attacker JWKS, attacker kid, signed by the attacker',
    build: bearer(() => attacker.sign({ jku: attacker.jwksUrl }, forgedClaims())),
    expect: INVALID,
  },
  {
    name: 'jku to the attacker JWKS, kid of the real key, signed by the attacker',
    build: bearer(() => attacker.sign({ jku: attacker.jwksUrl, kid: issuer.currentKid }, forgedClaims())),
    expect: INVALID,
  },
  {
    name: 'x5u to the attacker certificate, signed by the attacker',
    build: bearer(() => attacker.sign({ x5u: attacker.certUrl }, forgedClaims())),
    expect: INVALID,
  },
  {
    name: 'embedded jwk of the attacker, no kid, signed by the attacker',
    build: bearer(() => attacker.sign({ jwk: attacker.publicJwk, kid: undefined }, forgedClaims())),
    expect: INVALID,
  },
  {
    name: 'embedded jwk of the attacker with the real kid, signed by the attacker',
    build: bearer(() =>
      attacker.sign({ jwk: { ...attacker.publicJwk, kid: issuer.currentKid }, kid: issuer.currentKid }, forgedClaims()),
    ),
    expect: INVALID,
  },
  {
    name: 'garbage x5c chain, signed by the attacker',
    build: bearer(() => attacker.sign({ x5c: [randomB64url(400)], kid: undefined }, forgedClaims())),
    expect: INVALID,
  },
  {
    name: 'jku and x5u on an otherwise valid token: ignored (no fetch), token accepted',
    build: bearer(() => mint({ header: { jku: `${attacker.jwksUrl}?valid`, x5u: `${attacker.certUrl}?valid` } })),
    expect: SERVED,
  },
  {
    name: 'crit naming an unknown extension parameter',
    build: bearer(() => mint({ header: { crit: ['x-unknown'], 'x-unknown': true } })),
    expect: INVALID,
  },
  {
    name: 'crit naming a parameter that is absent',
    build: bearer(() => mint({ header: { crit: ['exp'] } })),
    expect: INVALID,
  },
  {
    name: 'crit naming a registered header (kid)',
    build: bearer(() => mint({ header: { crit: ['kid'] } })),
    expect: INVALID,
  },
  { name: 'crit as an empty array', build: bearer(() => mint({ header: { crit: [] } })), expect: INVALID },
  {
    name: 'crit as a string',
    build: bearer(() => mint({ header: { crit: 'x-unknown', 'x-unknown': 1 } })),
    expect: INVALID,
  },
  {
    name: 'crit b64 with b64=false (unencoded payload)',
    build: bearer(() => mint({ header: { crit: ['b64'], b64: false } })),
    expect: INVALID,
  },
];

const shapeRows: Row[] = [
  {
    name: 'JWE-shaped compact token (5 segments)',
    build: bearer(
      () =>
        `${segment({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: issuer.currentKid })}.${randomB64url(342)}.${randomB64url(16)}.${randomB64url(300)}.${randomB64url(22)}`,
    ),
    expect: INVALID,
  },
  {
    name: 'JWE-shaped, dir with an empty encrypted key',
    build: bearer(
      () => `${segment({ alg: 'dir', enc: 'A128GCM' })}..${randomB64url(16)}.${randomB64url(200)}.${randomB64url(22)}`,
    ),
    expect: INVALID,
  },
  {
    name: '2 segments (signature dropped with its dot)',
    build: bearer(() => mint().split('.').slice(0, 2).join('.')),
    expect: INVALID,
  },
  { name: '4 segments', build: bearer(() => `${mint()}.${randomB64url(40)}`), expect: INVALID },
  { name: '1 segment', build: bearer(() => randomB64url(120)), expect: INVALID },
  { name: 'three empty segments', build: bearer(() => '..'), expect: INVALID },
  {
    name: 'empty signature segment',
    build: bearer(() => `${mint().split('.').slice(0, 2).join('.')}.`),
    expect: INVALID,
  },
  {
    name: 'standard base64 (+ and /) in the header segment',
    build: bearer(() => {
      const [header, payload, signature] = mint().split('.');
      return `${header.slice(0, -4)}+/+/.${payload}.${signature}`;
    }),
    expect: INVALID,
  },
  {
    name: 'a tilde in the payload segment',
    build: bearer(() => {
      const [header, payload, signature] = mint().split('.');
      return `${header}.~${payload.slice(1)}.${signature}`;
    }),
    expect: INVALID,
  },
  {
    name: 'base64 padding inside the token (header segment)',
    build: bearer(() => {
      const [header, payload, signature] = mint().split('.');
      return `${header}==.${payload}.${signature}`;
    }),
    expect: INVALID,
  },
  { name: 'base64 padding after the signature of a valid token', build: bearer(() => `${mint()}==`), expect: INVALID },
  {
    name: 'impossible base64 length (1 character) for the header',
    build: bearer(() => {
      const [, payload, signature] = mint().split('.');
      return `e.${payload}.${signature}`;
    }),
    expect: INVALID,
  },
  {
    name: 'non-JSON header segment',
    build: bearer(() => {
      const [, payload, signature] = mint().split('.');
      return `${b64url('not json at all')}.${payload}.${signature}`;
    }),
    expect: INVALID,
  },
  {
    name: 'header is a JSON array',
    build: bearer(() => issuer.sign(['RS256'] as unknown as Record<string, unknown>, forgedClaims())),
    expect: INVALID,
  },
  {
    name: 'header with a byte-order mark before the JSON',
    build: bearer(() => {
      const [, payload, signature] = mint().split('.');
      return `${b64url(`\uFEFF${JSON.stringify({ alg: 'RS256', kid: issuer.currentKid })}`)}.${payload}.${signature}`;
    }),
    expect: INVALID,
  },
  {
    name: 'non-JSON payload, signed by the real key',
    build: bearer(() =>
      issuer.sign({ alg: 'RS256', typ: 'JWT', kid: issuer.currentKid }, 'sub=mallory&scope=todo:write'),
    ),
    expect: INVALID,
  },
  {
    name: 'payload is a JSON array, signed by the real key',
    build: bearer(() => issuer.sign({ alg: 'RS256', kid: issuer.currentKid }, JSON.stringify([forgedClaims()]))),
    expect: INVALID,
  },
  {
    name: 'payload is JSON null, signed by the real key',
    build: bearer(() => issuer.sign({ alg: 'RS256', kid: issuer.currentKid }, 'null')),
    expect: INVALID,
  },
  {
    name: "a 20 KB JWT-shaped token (over Node's 16 KiB header limit)",
    build: bearer(
      () => `${segment({ alg: 'RS256', kid: issuer.currentKid })}.${randomB64url(20_000)}.${randomB64url(342)}`,
    ),
    expect: { kind: 'refused_by_node', status: 431 },
  },
  {
    name: "a 10 KB JWT-shaped token (over the library's 8192-character limit)",
    build: bearer(
      () => `${segment({ alg: 'RS256', kid: issuer.currentKid })}.${randomB64url(10_000)}.${randomB64url(342)}`,
    ),
    expect: INVALID,
  },
  {
    name: 'a properly signed token padded to 12 KB by a claim',
    build: bearer(() => mint({ claims: { padding: randomB64url(9_000) } })),
    expect: INVALID,
  },
  {
    name: "a token of 16,000 characters (just under Node's 16 KiB header limit)",
    build: bearer(() => randomB64url(16_000)),
    expect: INVALID,
  },
  {
    name: "a token of 16,500 characters (over Node's 16 KiB header limit)",
    build: bearer(() => randomB64url(16_500)),
    expect: { kind: 'refused_by_node', status: 431 },
  },
  {
    name: 'an unrelated 20 KB header next to a valid token',
    build: bearer(() => mint(), { headers: { 'x-junk': 'j'.repeat(20_000) } }),
    expect: { kind: 'refused_by_node', status: 431 },
  },
  {
    name: '300 unrelated headers next to a valid token: served',
    build: bearer(() => mint(), {
      headers: Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`x-junk-${index}`, 'junk'])),
    }),
    expect: SERVED,
  },
];

const timeRows: Row[] = [
  { name: 'expired an hour ago', build: bearer(() => mint({ expiresIn: -3600 })), expect: INVALID },
  {
    name: 'expired 45 s ago (beyond the 30 s tolerance)',
    build: bearer(() => mint({ expiresIn: -45 })),
    expect: INVALID,
  },
  {
    name: 'control: expired 5 s ago (within the tolerance)',
    build: bearer(() => mint({ expiresIn: -5 })),
    expect: SERVED,
  },
  { name: 'nbf 45 s in the future', build: bearer(() => mint({ notBefore: 45 })), expect: INVALID },
  { name: 'nbf an hour in the future', build: bearer(() => mint({ notBefore: 3600 })), expect: INVALID },
  {
    name: 'control: nbf 5 s in the future (within the tolerance)',
    build: bearer(() => mint({ notBefore: 5 })),
    expect: SERVED,
  },
  { name: 'iat 45 s in the future', build: bearer(() => mint({ issuedAt: 45 })), expect: INVALID },
  { name: 'iat a day in the future', build: bearer(() => mint({ issuedAt: 86_400 })), expect: INVALID },
  { name: 'no exp', build: bearer(() => mint({ claims: { exp: undefined } })), expect: INVALID },
  { name: 'exp as a string', build: bearer(() => mint({ claims: { exp: String(now() + 300) } })), expect: INVALID },
  { name: 'exp null', build: bearer(() => mint({ claims: { exp: null } })), expect: INVALID },
  { name: 'exp 0', build: bearer(() => mint({ claims: { exp: 0 } })), expect: INVALID },
  { name: 'nbf as a string', build: bearer(() => mint({ claims: { nbf: String(now()) } })), expect: INVALID },
  { name: 'iat as a string', build: bearer(() => mint({ claims: { iat: String(now()) } })), expect: INVALID },
  { name: 'no sub', build: bearer(() => mint({ claims: { sub: undefined } })), expect: INVALID },
  { name: 'sub empty', build: bearer(() => mint({ subject: '' })), expect: INVALID },
  { name: 'sub as a number', build: bearer(() => mint({ claims: { sub: 42 } })), expect: INVALID },
];

const issuerRows: Row[] = [
  { name: 'wrong iss', build: bearer(() => mint({ issuer: 'https://evil.example.com' })), expect: INVALID },
  { name: 'iss = the attacker server', build: bearer(() => mint({ issuer: attacker.url })), expect: INVALID },
  {
    name: 'iss = the resource issuer plus a trailing slash',
    build: bearer(() => mint({ issuer: `${issuer.issuer}/` })),
    expect: INVALID,
  },
  {
    name: 'iss = the environment URL plus a trailing slash',
    build: bearer(() => mint({ issuer: `${issuer.url}/` })),
    expect: INVALID,
  },
  {
    name: 'iss with an upper-case scheme',
    build: bearer(() => mint({ issuer: issuer.issuer.replace('http://', 'HTTP://') })),
    expect: INVALID,
  },
  {
    name: 'iss naming the resource id in another case',
    build: bearer(() => mint({ issuer: `${issuer.url}/resources/${RESOURCE_ID.toUpperCase()}` })),
    expect: INVALID,
  },
  {
    name: 'iss of another resource of the same environment',
    build: bearer(() => mint({ issuer: `${issuer.url}/resources/res_other` })),
    expect: INVALID,
  },
  { name: 'no iss', build: bearer(() => mint({ claims: { iss: undefined } })), expect: INVALID },
  {
    name: 'iss as an array holding the right issuer',
    build: bearer(() => mint({ claims: { iss: [issuer.issuer] } })),
    expect: INVALID,
  },
  {
    name: "control: iss = the environment URL (Scalekit's other issuer)",
    build: bearer(() => mint({ issuer: issuer.url })),
    expect: SERVED,
  },
];

const audienceRows: Row[] = [
  { name: 'no aud', build: bearer(() => mint({ audience: undefined, claims: { aud: undefined } })), expect: INVALID },
  {
    name: 'wrong aud',
    build: bearer(() => mint({ audience: 'https://someone-else.example.com/mcp' })),
    expect: INVALID,
  },
  {
    name: 'aud array without us',
    build: bearer(() => mint({ audience: ['https://someone-else.example.com/mcp', 'res_other'] })),
    expect: INVALID,
  },
  { name: 'aud empty array', build: bearer(() => mint({ audience: [] })), expect: INVALID },
  {
    name: 'aud = our URL, upper-case scheme and path',
    build: bearer(() => mint({ audience: urls.mcp.replace('http://', 'HTTP://').replace('/mcp', '/MCP') })),
    expect: INVALID,
  },
  {
    name: 'aud = our URL, upper-case path only',
    build: bearer(() => mint({ audience: urls.mcp.replace('/mcp', '/MCP') })),
    expect: INVALID,
  },
  {
    name: 'aud = our URL on another port',
    build: bearer(() => mint({ audience: `http://127.0.0.1:${port + 1}/mcp` })),
    expect: INVALID,
  },
  {
    name: 'aud = our URL plus a trailing slash',
    build: bearer(() => mint({ audience: `${urls.mcp}/` })),
    expect: INVALID,
  },
  {
    name: 'aud = our URL via localhost instead of 127.0.0.1',
    build: bearer(() => mint({ audience: `http://localhost:${port}/mcp` })),
    expect: INVALID,
  },
  {
    name: 'aud = our URL over https',
    build: bearer(() => mint({ audience: urls.mcp.replace('http://', 'https://') })),
    expect: INVALID,
  },
  {
    name: 'aud = our URL plus a query',
    build: bearer(() => mint({ audience: `${urls.mcp}?x=1` })),
    expect: INVALID,
  },
  {
    name: 'aud = our URL plus a fragment',
    build: bearer(() => mint({ audience: `${urls.mcp}#x` })),
    expect: INVALID,
  },
  {
    name: 'aud = our URL with a dot segment',
    build: bearer(() => mint({ audience: `http://127.0.0.1:${port}/x/../mcp` })),
    expect: INVALID,
  },
  { name: 'aud = our origin only', build: bearer(() => mint({ audience: urls.base })), expect: INVALID },
  {
    name: 'aud = the resource id in upper case',
    build: bearer(() => mint({ audience: RESOURCE_ID.toUpperCase() })),
    expect: INVALID,
  },
  {
    name: 'aud = the resource id plus a space',
    build: bearer(() => mint({ audience: `${RESOURCE_ID} ` })),
    expect: INVALID,
  },
  { name: 'aud = a longer resource id', build: bearer(() => mint({ audience: `${RESOURCE_ID}2` })), expect: INVALID },
  {
    name: 'aud as an object',
    build: bearer(() => mint({ audience: undefined, claims: { aud: { 0: urls.mcp } } })),
    expect: INVALID,
  },
  {
    name: 'control: aud = the resource id alone',
    build: bearer(() => mint({ audience: RESOURCE_ID })),
    expect: SERVED,
  },
  { name: 'control: aud = our URL alone', build: bearer(() => mint({ audience: urls.mcp })), expect: SERVED },
];

const signatureRows: Row[] = [
  {
    name: 'signature of another token',
    build: bearer(() => {
      const [header, payload] = mint().split('.');
      return `${header}.${payload}.${mint({ subject: 'other' }).split('.')[2]}`;
    }),
    expect: INVALID,
  },
  { name: 'truncated signature', build: bearer(() => mint().slice(0, -10)), expect: INVALID },
  {
    name: 'all-zero signature of the right length',
    build: bearer(() => `${mint().split('.').slice(0, 2).join('.')}.${b64url(Buffer.alloc(256))}`),
    expect: INVALID,
  },
  {
    name: 'payload escalated to todo:write under the original signature',
    build: bearer(() => {
      const [header, , signature] = mint().split('.');
      return `${header}.${segment(forgedClaims())}.${signature}`;
    }, createTodo),
    expect: INVALID,
  },
];

const scopeRows: Row[] = [
  {
    name: 'no scope claim at all, create_todo',
    build: bearer(writeToken({}), createTodo),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'scopes [], create_todo',
    build: bearer(writeToken({ scopes: [] }), createTodo),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'scope "todo:read" (string), create_todo',
    build: bearer(writeToken({ scope: 'todo:read' }), createTodo),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'scp ["todo:read"], delete_todo',
    build: bearer(writeToken({ scp: ['todo:read'] }), deleteTodo),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'scope "TODO:WRITE" (scopes are case-sensitive)',
    build: bearer(writeToken({ scope: 'TODO:WRITE' }), createTodo),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'scope "todo:writer" (prefix is not a match)',
    build: bearer(writeToken({ scope: 'todo:writer todo:write:x' }), createTodo),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'wildcard scopes "*" and "todo:*"',
    build: bearer(writeToken({ scopes: ['*', 'todo:*'] }), createTodo),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'scope claim as an object',
    build: bearer(writeToken({ scope: { 'todo:write': true } }), createTodo),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'scopes array of non-strings',
    build: bearer(writeToken({ scopes: [1, null, { 'todo:write': 1 }, ['todo:write']] }), createTodo),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'scope names like Object.prototype members',
    build: bearer(writeToken({ scopes: ['__proto__', 'constructor', 'toString'] }), createTodo),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'granted scope with a quote injection: the challenge lists only what the call needs',
    build: bearer(writeToken({ scope: `todo:read ${QUOTE_INJECTION}` }), createTodo),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'scope string with odd whitespace around todo:write',
    build: bearer(writeToken({ scope: ' \t todo:write \n ' }), createTodo),
    expect: { kind: 'served', title: 'hostile' },
  },
  {
    name: 'scp string "todo:read  todo:write"',
    build: bearer(writeToken({ scp: 'todo:read  todo:write' }), createTodo),
    expect: { kind: 'served', title: 'hostile' },
  },
  {
    name: 'scp array ["todo:write"]',
    build: bearer(writeToken({ scp: ['todo:write'] }), createTodo),
    expect: { kind: 'served', title: 'hostile' },
  },
  {
    name: 'scopes array [" todo:write "] (whitespace inside)',
    build: bearer(writeToken({ scopes: [' todo:write '] }), createTodo),
    expect: { kind: 'served', title: 'hostile' },
  },
  {
    name: 'control: scopes ["todo:write"] (Scalekit form)',
    build: bearer(writeToken({ scopes: ['todo:write'] }), createTodo),
    expect: { kind: 'served', title: 'hostile' },
  },
];

const schemeRows: Row[] = [
  { name: 'lower-case scheme "bearer"', build: bearer(() => mint(), { scheme: 'bearer' }), expect: SERVED },
  { name: 'upper-case scheme "BEARER"', build: bearer(() => mint(), { scheme: 'BEARER' }), expect: SERVED },
  {
    name: 'several spaces between scheme and token',
    build: bearer(() => mint(), { separator: '    ' }),
    expect: SERVED,
  },
  { name: 'a tab between scheme and token', build: bearer(() => mint(), { separator: '\t' }), expect: SERVED },
  { name: 'scheme glued to the token', build: bearer(() => mint(), { separator: '' }), expect: NO_CREDENTIALS },
  { name: 'Basic scheme', build: () => call('dXNlcjpwYXNzd29yZA==', { scheme: 'Basic' }), expect: NO_CREDENTIALS },
  {
    name: 'Basic scheme carrying a valid JWT',
    build: bearer(() => mint(), { scheme: 'Basic' }),
    expect: NO_CREDENTIALS,
  },
  { name: 'DPoP scheme carrying a valid JWT', build: bearer(() => mint(), { scheme: 'DPoP' }), expect: NO_CREDENTIALS },
  {
    name: 'Basic scheme of 12 KB',
    build: () => call(randomB64url(12_000), { scheme: 'Basic' }),
    expect: NO_CREDENTIALS,
  },
  { name: 'Bearer with an empty token', build: () => call('', { separator: '' }), expect: INVALID },
  { name: 'empty Authorization header', build: () => call('', { scheme: '', separator: '' }), expect: NO_CREDENTIALS },
  {
    name: 'two tokens in one header, comma-separated',
    build: bearer(() => `${mint()}, Bearer ${mint()}`),
    expect: INVALID,
  },
  { name: 'token in double quotes', build: bearer(() => `"${mint()}"`), expect: INVALID },
  { name: 'non-ASCII (latin1) token', build: bearer(() => `t\u00f6k\u00e9n${randomB64url(20)}`), expect: INVALID },
  {
    name: 'two Authorization headers, both valid',
    build: () => {
      const token = mint();
      return { ...call(token), headers: { ...MCP_HEADERS, authorization: [`Bearer ${token}`, `Bearer ${token}`] } };
    },
    expect: { kind: 'invalid_request' },
  },
  {
    name: 'two Authorization headers, Basic then a valid Bearer',
    build: () => {
      const token = mint();
      return { ...call(token), headers: { ...MCP_HEADERS, authorization: ['Basic dXNlcjpwYXNz', `Bearer ${token}`] } };
    },
    expect: { kind: 'invalid_request' },
  },
  {
    name: 'two Authorization headers whose names differ in case (raw socket)',
    build: () => {
      const token = mint();
      return {
        raw: {
          headers: [
            ['Content-Type', 'application/json'],
            ['Accept', 'application/json, text/event-stream'],
            ['Mcp-Protocol-Version', '2025-11-25'],
            ['Authorization', `Bearer ${token}`],
            ['AUTHORIZATION', `Bearer ${token}`],
          ],
          body: JSON.stringify(toolCall('whoami')),
        },
        secrets: [token],
      };
    },
    expect: { kind: 'invalid_request' },
  },
  {
    name: 'token in the query string',
    build: () => {
      const token = mint();
      return { ...call(undefined), path: `/mcp?access_token=${token}`, secrets: [token] };
    },
    expect: { kind: 'invalid_request' },
  },
  {
    name: 'token in the query string and in the header',
    build: () => {
      const token = mint();
      return { ...call(token), path: `/mcp?access_token=${token}` };
    },
    expect: { kind: 'invalid_request' },
  },
  {
    name: 'empty access_token in the query',
    build: bearer(() => mint(), { path: '/mcp?access_token=' }),
    expect: { kind: 'invalid_request' },
  },
  {
    name: 'percent-encoded access%5Ftoken in the query',
    build: () => {
      const token = mint();
      return { ...call(undefined), path: `/mcp?access%5Ftoken=${token}`, secrets: [token] };
    },
    expect: { kind: 'invalid_request' },
  },
  {
    name: 'token in a form body',
    build: () => {
      const token = mint();
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: MCP_HEADERS.accept },
        body: new URLSearchParams({ access_token: token }).toString(),
        secrets: [token],
      };
    },
    expect: { kind: 'invalid_request' },
  },
  {
    name: 'token in a form body and in the header',
    build: () => {
      const token = mint();
      return {
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
          accept: MCP_HEADERS.accept,
          authorization: `Bearer ${token}`,
        },
        body: new URLSearchParams({ access_token: token }).toString(),
        secrets: [token],
      };
    },
    expect: { kind: 'invalid_request' },
  },
  {
    name: 'token only in a JSON body access_token (not a credential)',
    build: () => {
      const token = mint();
      return {
        ...call(undefined),
        body: JSON.stringify({ ...toolCall('whoami'), access_token: token }),
        secrets: [token],
      };
    },
    expect: NO_CREDENTIALS,
  },
  {
    name: 'token only in a cookie',
    build: () => {
      const token = mint();
      return { ...call(undefined, { headers: { cookie: `access_token=${token}` } }), secrets: [token] };
    },
    expect: NO_CREDENTIALS,
  },
  {
    name: 'token only in X-Access-Token',
    build: () => {
      const token = mint();
      return { ...call(undefined, { headers: { 'x-access-token': token } }), secrets: [token] };
    },
    expect: NO_CREDENTIALS,
  },
  {
    name: 'a bare CR inside the Authorization value (raw socket, refused by Node)',
    build: () => {
      const token = mint();
      return {
        raw: {
          headers: [
            ['Content-Type', 'application/json'],
            ['Authorization', `Bearer ${token}\rX-Injected: 1`],
          ],
          body: JSON.stringify(toolCall('whoami')),
        },
        secrets: [token],
      };
    },
    expect: { kind: 'refused_by_node', status: 400 },
  },
];

const injectionRows: Row[] = [
  { name: 'CR/LF injection in kid', build: bearer(() => mint({ header: { kid: CRLF_INJECTION } })), expect: INVALID },
  { name: 'quote injection in kid', build: bearer(() => mint({ header: { kid: QUOTE_INJECTION } })), expect: INVALID },
  { name: 'CR/LF injection in iss', build: bearer(() => mint({ issuer: CRLF_INJECTION })), expect: INVALID },
  { name: 'quote injection in iss', build: bearer(() => mint({ issuer: QUOTE_INJECTION })), expect: INVALID },
  { name: 'CR/LF injection in aud', build: bearer(() => mint({ audience: [CRLF_INJECTION] })), expect: INVALID },
  { name: 'quote injection in aud', build: bearer(() => mint({ audience: QUOTE_INJECTION })), expect: INVALID },
  { name: 'CR/LF injection in alg', build: bearer(() => mint({ header: { alg: CRLF_INJECTION } })), expect: INVALID },
  {
    name: 'CR/LF injection in the tool name, no credentials',
    build: () => call(undefined, { tool: `create_todo${CRLF_INJECTION}` }),
    expect: UNKNOWN_TOOL,
  },
  {
    name: 'quote injection in the tool name, no credentials',
    build: () => call(undefined, { tool: QUOTE_INJECTION }),
    expect: UNKNOWN_TOOL,
  },
  {
    name: 'CR/LF injection in the tool name, invalid token',
    build: bearer(() => mint({ expiresIn: -3600 }), { tool: `x${CRLF_INJECTION}` }),
    expect: UNKNOWN_TOOL,
  },
  {
    name: 'U+2028 line separator in the tool name, no credentials',
    build: () => call(undefined, { tool: 'a\u2028b\u0085c' }),
    expect: UNKNOWN_TOOL,
  },
  {
    name: 'quote injection in the Mcp-Name header (mismatch with the body)',
    build: bearer(() => mint(), { headers: { 'mcp-method': 'tools/call', 'mcp-name': QUOTE_INJECTION } }),
    expect: INVALID_MCP_REQUEST,
  },
  {
    name: 'latin1 bytes in the Mcp-Name header, no credentials',
    build: () => call(undefined, { headers: { 'mcp-method': 'tools/call', 'mcp-name': 'who\u00e4mi\u00ff' } }),
    expect: INVALID_MCP_REQUEST,
  },
  {
    name: 'Mcp-Name says whoami while the body calls create_todo (scope smuggling)',
    build: bearer(() => mint(), { ...createTodo, headers: { 'mcp-method': 'tools/call', 'mcp-name': 'whoami' } }),
    expect: INVALID_MCP_REQUEST,
  },
  {
    name: 'quote injection in both Mcp-Name and the body tool name, no credentials',
    build: () =>
      call(undefined, { tool: QUOTE_INJECTION, headers: { 'mcp-method': 'tools/call', 'mcp-name': QUOTE_INJECTION } }),
    expect: UNKNOWN_TOOL,
  },
  {
    name: 'duplicate "name" keys in the JSON body: the guard sees the one the SDK runs',
    build: bearer(() => mint(), {
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","name":"create_todo","arguments":{"title":"dup"}}}',
    }),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'a batch hiding create_todo behind whoami',
    build: bearer(() => mint(), {
      body: JSON.stringify([toolCall('whoami', {}, 1), toolCall('create_todo', { title: 'x' }, 2)]),
    }),
    expect: { kind: 'insufficient_scope', scope: 'todo:write' },
  },
  {
    name: 'create_todo sent as text/plain (body unseen by the guard) never reaches the tool',
    build: bearer(() => mint({ subject: 'content-type-smuggler' }), {
      ...createTodo,
      headers: { 'content-type': 'text/plain; x=application/json' },
    }),
    expect: { kind: 'unsupported_media_type' },
  },
  {
    name: 'X-Forwarded-Host/Proto do not change resource_metadata',
    build: () =>
      call(undefined, {
        headers: {
          'x-forwarded-host': 'evil.example.com',
          'x-forwarded-proto': 'https',
          forwarded: 'host=evil.example.com',
        },
      }),
    expect: NO_CREDENTIALS,
  },
];

const originRows: Row[] = [
  {
    name: 'disallowed Origin with a valid token',
    build: bearer(() => mint(), { headers: { origin: 'https://evil.example.com' } }),
    expect: { kind: 'forbidden_origin' },
  },
  {
    name: 'Origin "null" with a valid token',
    build: bearer(() => mint(), { headers: { origin: 'null' } }),
    expect: { kind: 'forbidden_origin' },
  },
  {
    name: 'Origin extending our host name with a valid token',
    build: bearer(() => mint(), { headers: { origin: `http://127.0.0.1:${port}.evil.example.com` } }),
    expect: { kind: 'forbidden_origin' },
  },
  {
    name: 'disallowed Origin on /MCP (path in another case) with a valid token',
    build: bearer(() => mint(), { path: '/MCP', headers: { origin: 'https://evil.example.com' } }),
    // Express routes /MCP to the MCP route (case-insensitive), so the Origin check applies; Fastify's router is
    // case-sensitive: no route, its 404.
    expect: { express: { kind: 'forbidden_origin' }, fastify: { kind: 'not_routed' } },
  },
  {
    name: 'POST /MCP (path in another case) without credentials is still challenged',
    build: () => call(undefined, { path: '/MCP' }),
    // Express serves /MCP (challenged); Fastify is case-sensitive (404).
    expect: { express: NO_CREDENTIALS, fastify: { kind: 'not_routed' } },
  },
  {
    name: 'disallowed Origin on /mcp/ (trailing slash) with a valid token',
    build: bearer(() => mint(), { path: '/mcp/', headers: { origin: 'https://evil.example.com' } }),
    // Express ignores the trailing slash (the MCP route, Origin check); Fastify is strict about it (404).
    expect: { express: { kind: 'forbidden_origin' }, fastify: { kind: 'not_routed' } },
  },
  {
    name: 'disallowed Origin on /%6Dcp (percent-encoded m) with a valid token',
    build: bearer(() => mint(), { path: '/%6Dcp', headers: { origin: 'https://evil.example.com' } }),
    // Fastify percent-decodes the path before matching (/%6Dcp is /mcp: Origin check); Express does not (404).
    expect: { express: { kind: 'not_routed' }, fastify: { kind: 'forbidden_origin' } },
  },
  {
    name: 'POST /%6Dcp (percent-encoded m) without credentials',
    build: () => call(undefined, { path: '/%6Dcp' }),
    // Fastify routes it to /mcp (challenged); Express does not decode (404).
    expect: { express: { kind: 'not_routed' }, fastify: NO_CREDENTIALS },
  },
  {
    name: 'GET /mcp without credentials is challenged before the 405',
    build: () => ({ method: 'GET', headers: { accept: 'text/event-stream' } }),
    expect: NO_CREDENTIALS,
  },
];

/** A create_todo a todo:read token may not run, by the subject the after-catalogue check looks at (no todo of it). */
const smuggledCreate = (body: (json: string) => string, headers: Record<string, string> = {}) => {
  const token = mint({ subject: 'content-type-smuggler' });
  return call(token, {
    ...createTodo,
    headers,
    body: body(JSON.stringify(toolCall('create_todo', { title: 'smuggled' }))),
  });
};

const bodyRows: Row[] = [
  {
    name: 'a JSON body with a __proto__ key, todo:read token calling create_todo',
    build: () => smuggledCreate((json) => json.replace(/}$/, ',"__proto__":{"scopes":["todo:write"]}}')),
    // Express parses it (an own __proto__ key) and the guard sees create_todo; Fastify's JSON parser refuses
    // prototype poisoning with its own 400 before any guard runs.
    expect: {
      express: { kind: 'insufficient_scope', scope: 'todo:write' },
      fastify: { kind: 'refused_by_framework', status: 400 },
    },
  },
  {
    name: 'a JSON body with a constructor.prototype key, todo:read token calling create_todo',
    build: () => smuggledCreate((json) => json.replace(/}$/, ',"constructor":{"prototype":{"admin":true}}}')),
    // As __proto__: Express parses it, the guard refuses the scope; Fastify's parser refuses it (400).
    expect: {
      express: { kind: 'insufficient_scope', scope: 'todo:write' },
      fastify: { kind: 'refused_by_framework', status: 400 },
    },
  },
  {
    name: 'application/json; charset=utf-16 on a UTF-8 body, todo:read token calling create_todo',
    build: () => smuggledCreate((json) => json, { 'content-type': 'application/json; charset=utf-16' }),
    // Express decodes as UTF-16 (not JSON: body-parser's 400); Fastify ignores charset and decodes UTF-8, so the guard
    // sees create_todo, and the SDK gets that same parsed body.
    expect: {
      express: { kind: 'refused_by_framework', status: 400 },
      fastify: { kind: 'insufficient_scope', scope: 'todo:write' },
    },
  },
  {
    name: 'application/json; charset=iso-8859-1, todo:read token calling create_todo',
    build: () => smuggledCreate((json) => json, { 'content-type': 'application/json; charset=iso-8859-1' }),
    // Express's body-parser only takes UTF charsets (its 415); Fastify decodes UTF-8 whatever the label (the guard).
    expect: {
      express: { kind: 'refused_by_framework', status: 415 },
      fastify: { kind: 'insufficient_scope', scope: 'todo:write' },
    },
  },
  {
    name: 'a JSON body of 200 KB, todo:read token calling create_todo',
    build: () => smuggledCreate((json) => json.replace('"smuggled"', `"${'x'.repeat(200_000)}"`)),
    // Over Express's 100 KB JSON limit (body-parser's 413); under Fastify's 1 MiB bodyLimit (the guard decides).
    expect: {
      express: { kind: 'refused_by_framework', status: 413 },
      fastify: { kind: 'insufficient_scope', scope: 'todo:write' },
    },
  },
  {
    name: 'a JSON body of 2 MB, todo:read token calling create_todo',
    build: () => smuggledCreate((json) => json.replace('"smuggled"', `"${'x'.repeat(2_000_000)}"`)),
    expect: { kind: 'refused_by_framework', status: 413 },
  },
  {
    name: 'a JSON body that is not valid JSON, valid token',
    build: bearer(() => mint(), { body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":' }),
    expect: { kind: 'refused_by_framework', status: 400 },
  },
  {
    name: 'the JSON text null as the body, valid token',
    build: bearer(() => mint(), { body: 'null' }),
    // Express's JSON parser is strict (objects and arrays only: its 400); Fastify parses null, and the library refuses
    // a body that is not a parsed object with 415 (libs/mcp-oauth/src/http/mcp-request.ts, by design).
    expect: {
      express: { kind: 'refused_by_framework', status: 400 },
      fastify: { kind: 'unsupported_media_type' },
    },
  },
  {
    name: 'application/json with an empty body, no credentials',
    build: () => call(undefined, { body: '' }),
    // Express parses an empty JSON body as {} (the guard challenges); Fastify refuses it with its own 400.
    expect: { express: NO_CREDENTIALS, fastify: { kind: 'refused_by_framework', status: 400 } },
  },
  {
    name: 'a JSON body without Content-Type, todo:read token calling create_todo',
    build: () => {
      const request = smuggledCreate((json) => json);
      const { ['content-type']: _dropped, ...headers } = request.headers ?? {};
      return { ...request, headers };
    },
    // Express leaves the body unparsed and the guard refuses it (415); Fastify has no parser for it (its own 415).
    expect: { express: { kind: 'unsupported_media_type' }, fastify: { kind: 'refused_by_framework', status: 415 } },
  },
  {
    name: 'a gzip-encoded JSON body (Content-Encoding: gzip), todo:read token calling create_todo',
    build: () => {
      const token = mint({ subject: 'content-type-smuggler' });
      return {
        raw: {
          headers: {
            'Content-Type': 'application/json',
            'Content-Encoding': 'gzip',
            Accept: MCP_HEADERS.accept,
            'Mcp-Protocol-Version': MCP_HEADERS['mcp-protocol-version'],
            Authorization: `Bearer ${token}`,
          },
          body: gzipSync(JSON.stringify(toolCall('create_todo', { title: 'smuggled' }))),
        },
        secrets: [token],
      };
    },
    // Express's body-parser inflates it, and the guard sees create_todo (the SDK gets that parsed body); Fastify does
    // not decode Content-Encoding, so its JSON parser refuses the compressed bytes (400).
    expect: {
      express: { kind: 'insufficient_scope', scope: 'todo:write' },
      fastify: { kind: 'refused_by_framework', status: 400 },
    },
  },
  {
    name: 'GET /mcp with a JSON body calling create_todo, todo:read token',
    build: () => {
      // On a raw socket: node:http frames no body on a GET without an explicit Content-Length.
      const { headers, body, secrets } = smuggledCreate((json) => json);
      return {
        raw: { method: 'GET', headers: headers as Record<string, string>, body },
        secrets: [...(secrets ?? []), String(headers?.authorization)],
      };
    },
    // Express parses a GET body, and the guard refuses the scope; Fastify never parses GET bodies, and the guard
    // refuses a body it was not given parsed (415). Never the 405 of the handler.
    expect: {
      express: { kind: 'insufficient_scope', scope: 'todo:write' },
      fastify: { kind: 'unsupported_media_type' },
    },
  },
  {
    name: 'application/vnd.api+json, todo:read token calling create_todo',
    build: () => smuggledCreate((json) => json, { 'content-type': 'application/vnd.api+json' }),
    // Express leaves it unparsed (the guard's 415); Fastify has no parser for the type (its own 415).
    expect: { express: { kind: 'unsupported_media_type' }, fastify: { kind: 'refused_by_framework', status: 415 } },
  },
];

const catalogue: Row[] = [
  ...algorithmRows,
  ...keyRows,
  ...shapeRows,
  ...timeRows,
  ...issuerRows,
  ...audienceRows,
  ...signatureRows,
  ...scopeRows,
  ...schemeRows,
  ...injectionRows,
  ...originRows,
  ...bodyRows,
];

/* ------------------------------------------------------------------------------------------------------------ */

async function perform(request: HostileRequest): Promise<HttpResponse> {
  for (const secret of secretsOf(request)) sentSecrets.add(secret);
  if (request.raw !== undefined) return exchange(port, request.raw);
  return httpRequest(`${urls.base}${request.path ?? '/mcp'}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
}

function challengeOf(response: HttpResponse): Record<string, string> | undefined {
  const header = response.headers['www-authenticate'];
  return parseBearerChallenge(Array.isArray(header) ? header.join(', ') : header);
}

function assertOutcome(response: HttpResponse, expected: Expectation): void {
  const header = response.headers['www-authenticate'];
  const challenge = challengeOf(response);
  const resourceMetadata = { resource_metadata: urls.metadataPath };
  switch (expected.kind) {
    case 'served': {
      expect({ status: response.status, body: response.body.slice(0, 300) }).toEqual({
        status: 200,
        body: expect.any(String),
      });
      expect(header).toBeUndefined();
      const body = JSON.parse(response.body) as {
        error?: unknown;
        result?: { isError?: boolean; structuredContent?: Record<string, unknown> };
      };
      expect(body.error).toBeUndefined();
      expect(body.result?.isError).toBeFalsy();
      if (expected.title !== undefined)
        expect(body.result?.structuredContent).toMatchObject({ title: expected.title, completed: false });
      else expect(body.result?.structuredContent).toMatchObject({ sub: expected.subject ?? 'hostile' });
      return;
    }
    case 'no_credentials':
      expect({ status: response.status, header }).toEqual({ status: 401, header: expect.any(String) });
      expect(challenge).toEqual({ ...resourceMetadata, ...(expected.scope ? { scope: expected.scope } : {}) });
      expect(challenge).not.toHaveProperty('error');
      expect(challenge).not.toHaveProperty('error_description');
      return;
    case 'invalid_token':
    case 'invalid_request':
      expect({ status: response.status, header }).toEqual({
        status: expected.kind === 'invalid_token' ? 401 : 400,
        header: expect.any(String),
      });
      expect(challenge).toEqual({
        error: expected.kind,
        error_description: expect.stringMatching(/\S/),
        ...resourceMetadata,
      });
      return;
    case 'insufficient_scope':
      expect({ status: response.status, header }).toEqual({ status: 403, header: expect.any(String) });
      expect(challenge).toMatchObject({ error: 'insufficient_scope', scope: expected.scope, ...resourceMetadata });
      // error_description is optional on a 403; nothing else may appear.
      expect(
        Object.keys(challenge ?? {}).filter(
          (key) => !['error', 'error_description', 'scope', 'resource_metadata'].includes(key),
        ),
      ).toEqual([]);
      return;
    case 'invalid_mcp_request':
      expect({ status: response.status, header }).toEqual({ status: 400, header: undefined });
      expect(JSON.parse(response.body)).toMatchObject({ statusCode: 400, error: 'invalid_request' });
      return;
    case 'unknown_tool':
      expect({ status: response.status, header }).toEqual({ status: 403, header: undefined });
      expect(JSON.parse(response.body)).toMatchObject({ statusCode: 403, error: 'unknown_tool' });
      return;
    case 'forbidden_origin':
      expect({ status: response.status, header, body: response.body.slice(0, 300) }).toEqual({
        status: 403,
        header: undefined,
        body: expect.any(String),
      });
      return;
    case 'unsupported_media_type':
      expect({ status: response.status, header }).toEqual({ status: 415, header: undefined });
      // The guard's refusal (not a framework's own 415).
      expect(JSON.parse(response.body)).toMatchObject({ statusCode: 415, error: 'unsupported_media_type' });
      return;
    case 'refused_by_node':
      expect({ status: response.status, header }).toEqual({ status: expected.status, header: undefined });
      return;
    case 'refused_by_framework':
      expect({ status: response.status, header }).toEqual({ status: expected.status, header: undefined });
      // Nest's body for the framework's error, not the library's `{ statusCode, error, error_description }`.
      expect(JSON.parse(response.body)).toMatchObject({ statusCode: expected.status, message: expect.any(String) });
      expect(JSON.parse(response.body)).not.toHaveProperty('error_description');
      return;
    case 'not_routed':
      expect({ status: response.status, header }).toEqual({ status: 404, header: undefined });
      return;
  }
}

describe.each(HTTP_PLATFORMS)('hostile input against the sample app (Scalekit mode) on %s', (platform) => {
  /** Whatever reaches the console (nothing should): checked for leaks with the app's log lines. */
  let consoleOutput: ConsoleCapture | undefined;

  beforeAll(async () => {
    sentSecrets.clear();
    outcomes.clear();
    logger = new CaptureLogger();
    attacker = await AttackerKeyServer.start();
    // Each platform's sample in a module registry of its own (the sample validates its environment on first import).
    fixture = await startSampleWithIssuerInOwnRegistry({ resourceId: RESOURCE_ID, logger, platform });
    ({ issuer, urls, audience } = fixture);
    port = Number(new URL(urls.base).port);
    // Rotate before the app first fetches the keys (fetched lazily): it caches a JWKS holding both keys.
    previousKid = issuer.currentKid;
    preRotationToken = mint();
    issuer.rotateKeys({ keepPrevious: true });
    expect(issuer.jwks().keys).toHaveLength(2);
    consoleOutput = captureConsole();
  });

  afterAll(async () => {
    consoleOutput?.restore();
    await fixture?.close();
    await attacker?.stop();
  });

  it(`has at least 60 hostile rows with unique names (${catalogue.length})`, () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(60);
    expect(new Set(catalogue.map((row) => row.name)).size).toBe(catalogue.length);
  });

  describe('catalogue', () => {
    it.each(catalogue.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
      const request = row.build();
      const response = await perform(request);
      outcomes.set(row.name, response.status);
      expect(response.status).toBeLessThan(500);

      // Nothing injected into the response head; the challenge is printable ASCII (RFC 6750 §3).
      const headerNames = response.rawHeaders.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase());
      expect(headerNames).not.toContain('set-cookie');
      expect(headerNames).not.toContain('x-injected');
      expect(headerNames.filter((name) => name === 'www-authenticate').length).toBeLessThanOrEqual(1);
      const challengeHeader = response.headers['www-authenticate'];
      if (challengeHeader !== undefined) expect(challengeHeader).toMatch(/^[\x20-\x7E]*$/);

      // The response never echoes the token (README, "What clients see": no body, header or log line contains it).
      expect(findLeaks([response.rawHeaders.join('\n'), response.body], secretsOf(request))).toEqual([]);

      assertOutcome(response, expectationOn(row, platform));
    });
  });

  describe('after the catalogue', () => {
    it('ran every row and answered none of them with a 5xx', () => {
      expect(outcomes.size).toBe(catalogue.length);
      expect([...outcomes].filter(([, status]) => status === 0 || status >= 500)).toEqual([]);
    });

    it('never contacted the key URLs named by token headers (jku, x5u)', async () => {
      expect(attacker.requests).toEqual([]);
      // The attacker server itself works: a hit would have been counted.
      expect((await fetch(attacker.jwksUrl)).status).toBe(200);
      expect(attacker.hits).toBe(1);
    });

    it('did not run create_todo for any smuggling attempt (text/plain, body parser differences)', async () => {
      const writer = issuer.mintToken({ audience, scopes: ['todo:write'], subject: 'content-type-smuggler' });
      const response = await httpRequest(urls.mcp, {
        headers: { ...MCP_HEADERS, authorization: `Bearer ${writer}` },
        body: JSON.stringify(toolCall('list_todos')),
      });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ result: { structuredContent: { todos: [] } } });
    });

    it('keeps serving: a valid token still gets 200, and healthz answers', async () => {
      const response = await httpRequest(urls.mcp, {
        headers: { ...MCP_HEADERS, authorization: `Bearer ${mint({ subject: 'still-alive' })}` },
        body: JSON.stringify(toolCall('whoami')),
      });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ result: { structuredContent: { sub: 'still-alive' } } });
      expect((await httpRequest(urls.health, { method: 'GET' })).status).toBe(200);
    });

    it('wrote no token, token fragment or Authorization value to any log line', () => {
      // The capture works: the guard's denial events of the catalogue are in it.
      expect(logger.lines.some((line) => line.includes('mcp_oauth.denied'))).toBe(true);
      expect(logger.lines.some((line) => line.includes('mcp_oauth.step_up_challenged'))).toBe(true);
      expect(sentSecrets.size).toBeGreaterThan(catalogue.length / 2);
      expect(findLeaks([...logger.lines, ...(consoleOutput?.lines ?? [])], sentSecrets)).toEqual([]);
    });

    it('the leak detector itself finds a planted 16-character fragment of a sent token', () => {
      const token = [...sentSecrets].find(
        (secret) => secret.split('.').length === 3 && (secret.split('.')[2] ?? '').length > 100,
      ) as string;
      const fragment = token.split('.')[2].slice(20, 36);
      const leaks = findLeaks([...logger.lines, `{"event":"x","detail":"${fragment}"}`], sentSecrets);
      expect(leaks.length).toBeGreaterThanOrEqual(1);
      expect(leaks.every((leak) => leak.fragment === fragment)).toBe(true);
    });
  });
});

/** The tokens and Authorization header values a request carries. */
function secretsOf(request: HostileRequest): string[] {
  const authorization = request.headers?.authorization;
  return [
    ...(request.secrets ?? []),
    ...(Array.isArray(authorization) ? authorization : authorization ? [authorization] : []),
  ];
}
