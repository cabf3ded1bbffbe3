import { describe, expect, it } from '@jest/globals';
import { parseBearerChallenge } from '../testing/parse-bearer-challenge.js';
import { failureResponse } from './failure-response.js';
import {
  AuthorizationServerUnavailableError,
  ForbiddenOriginError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  type InvalidTokenReason,
  MissingCredentialsError,
  TooManyFailedAuthenticationsError,
  UnknownToolError,
  UnsupportedMediaTypeError,
} from './failures.js';
import type { McpOAuthFailure, McpOAuthReason } from './mcp-oauth-failure.js';

const METADATA = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
/** A header value made only of visible ASCII and spaces: no CR, LF, NUL, DEL or non-ASCII. */
const SAFE_HEADER = /^[\x20-\x7E]*$/;
/** RFC 9110 §10.2.3 delay-seconds, here at least 1. */
const DELAY_SECONDS = /^[1-9][0-9]*$/;

interface Expected {
  status: number;
  error: string;
  /** The challenge's parameters, or undefined when no WWW-Authenticate may be sent. */
  challenge: Record<string, string> | undefined;
  retryAfter: string | undefined;
}

const TOKEN_REASONS: InvalidTokenReason[] = [
  'malformed',
  'expired',
  'not_yet_valid',
  'issued_in_future',
  'signature',
  'algorithm',
  'unknown_key',
  'issuer',
  'audience',
  'type',
  'missing_exp',
  'missing_sub',
  'invalid',
];

/** Every reason, checked by the compiler: a new reason fails the type check until it is listed here. */
const EVERY_REASON: Record<McpOAuthReason, true> = {
  missing_credentials: true,
  duplicate_credentials: true,
  token_in_query: true,
  token_in_body: true,
  absolute_form_target: true,
  invalid_host: true,
  batch_too_large: true,
  json_too_deep: true,
  mcp_header_mismatch: true,
  mcp_name_encoding: true,
  malformed: true,
  expired: true,
  not_yet_valid: true,
  issued_in_future: true,
  signature: true,
  algorithm: true,
  unknown_key: true,
  issuer: true,
  audience: true,
  type: true,
  missing_exp: true,
  missing_sub: true,
  invalid: true,
  insufficient_scope: true,
  unknown_tool: true,
  forbidden_origin: true,
  unsupported_media_type: true,
  rate_limited: true,
  authorization_server_unavailable: true,
};

const cases: Array<[string, McpOAuthFailure, Expected]> = [
  [
    'MissingCredentials without scopes',
    new MissingCredentialsError(),
    { status: 401, error: 'Unauthorized', challenge: { resource_metadata: METADATA }, retryAfter: undefined },
  ],
  [
    'MissingCredentials with the required scopes (offline_access never challenged for)',
    new MissingCredentialsError(['todo:read', 'offline_access', 'todo:write']),
    {
      status: 401,
      error: 'Unauthorized',
      challenge: { scope: 'todo:read todo:write', resource_metadata: METADATA },
      retryAfter: undefined,
    },
  ],
  ...(['duplicate_credentials', 'token_in_query', 'token_in_body'] as const).map(
    (reason): [string, McpOAuthFailure, Expected] => [
      `InvalidRequest ${reason} (about credentials)`,
      new InvalidRequestError(reason, `Bad credentials: ${reason}.`),
      {
        status: 400,
        error: 'invalid_request',
        challenge: {
          error: 'invalid_request',
          error_description: `Bad credentials: ${reason}.`,
          resource_metadata: METADATA,
        },
        retryAfter: undefined,
      },
    ],
  ),
  ...(
    [
      'absolute_form_target',
      'invalid_host',
      'batch_too_large',
      'json_too_deep',
      'mcp_header_mismatch',
      'mcp_name_encoding',
    ] as const
  ).map((reason): [string, McpOAuthFailure, Expected] => [
    `InvalidRequest ${reason} (MCP framing)`,
    new InvalidRequestError(reason, `Bad framing: ${reason}.`),
    { status: 400, error: 'invalid_request', challenge: undefined, retryAfter: undefined },
  ]),
  ...TOKEN_REASONS.map((reason): [string, McpOAuthFailure, Expected] => [
    `InvalidToken ${reason}`,
    new InvalidTokenError(reason, `Refused: ${reason}.`),
    {
      status: 401,
      error: 'invalid_token',
      challenge: { error: 'invalid_token', error_description: `Refused: ${reason}.`, resource_metadata: METADATA },
      retryAfter: undefined,
    },
  ]),
  [
    'InsufficientScope (every required scope, not only the missing ones)',
    new InsufficientScopeError(['todo:read', 'todo:write', 'offline_access'], ['todo:write']),
    {
      status: 403,
      error: 'insufficient_scope',
      challenge: {
        error: 'insufficient_scope',
        error_description: 'The access token lacks the scope(s) this call needs: todo:write.',
        scope: 'todo:read todo:write',
        resource_metadata: METADATA,
      },
      retryAfter: undefined,
    },
  ],
  [
    'UnknownTool',
    new UnknownToolError('delete_everything'),
    { status: 403, error: 'unknown_tool', challenge: undefined, retryAfter: undefined },
  ],
  [
    'ForbiddenOrigin',
    new ForbiddenOriginError(),
    { status: 403, error: 'forbidden_origin', challenge: undefined, retryAfter: undefined },
  ],
  [
    'UnsupportedMediaType',
    new UnsupportedMediaTypeError(),
    { status: 415, error: 'unsupported_media_type', challenge: undefined, retryAfter: undefined },
  ],
  [
    'TooManyFailedAuthentications',
    new TooManyFailedAuthenticationsError(41.2),
    { status: 429, error: 'too_many_requests', challenge: undefined, retryAfter: '42' },
  ],
  [
    'AuthorizationServerUnavailable',
    new AuthorizationServerUnavailableError(0.2),
    { status: 503, error: 'temporarily_unavailable', challenge: undefined, retryAfter: '1' },
  ],
];

describe('failureResponse', () => {
  it.each(cases)('answers %s', (_name, failure, expected) => {
    const response = failureResponse(failure, METADATA);
    expect(response.status).toBe(expected.status);

    const headerNames = ['Cache-Control'];
    if (expected.challenge) headerNames.push('WWW-Authenticate');
    if (expected.retryAfter) headerNames.push('Retry-After');
    expect(Object.keys(response.headers).sort()).toEqual(headerNames.sort());
    expect(response.headers['Cache-Control']).toBe('no-store');
    expect(response.headers['Retry-After']).toBe(expected.retryAfter);
    const challenge = response.headers['WWW-Authenticate'];
    expect(challenge === undefined ? undefined : parseBearerChallenge(challenge)).toEqual(expected.challenge);
    for (const value of Object.values(response.headers)) expect(value).toMatch(SAFE_HEADER);

    expect(response.body).toEqual({
      statusCode: expected.status,
      error: expected.error,
      error_description: failure.message,
    });
    expect(Object.keys(response.body)).toEqual(['statusCode', 'error', 'error_description']);
  });

  it('covers every McpOAuthReason', () => {
    const covered = new Set(cases.map(([, failure]) => failure.reason));
    expect([...covered].sort()).toEqual(Object.keys(EVERY_REASON).sort());
  });

  it.each<[string, string]>([
    ['CR LF and a new header line', 'bad\r\nSet-Cookie: session=stolen'],
    ['a bare LF', 'line1\nWWW-Authenticate: Basic'],
    ['a bare CR', 'a\rb'],
    ['a quote and fake parameters', 'x", error="insufficient_scope", scope="admin'],
    ['a backslash escaping the closing quote', 'ends with \\'],
    ['NUL, DEL and a Unicode line separator', 'a\u0000b\u007fc\u2028d'],
    ['non-ASCII and an astral emoji', 'tökén 🔑'],
    ['a 10 000-character description', `${'x'.repeat(5000)}\r\n${'y'.repeat(5000)}`],
  ])('keeps %s of an invalid_token description inside one quoted parameter', (_name, description) => {
    const response = failureResponse(new InvalidTokenError('invalid', description), METADATA);
    const header = response.headers['WWW-Authenticate'];
    expect(header).toMatch(SAFE_HEADER);
    const params = parseBearerChallenge(header);
    expect(params).toBeDefined();
    expect(Object.keys(params ?? {})).toEqual(['error', 'error_description', 'resource_metadata']);
    expect(params?.error).toBe('invalid_token');
    expect(params?.resource_metadata).toBe(METADATA);
    expect(params?.error_description).toHaveLength(description.length);
    // The JSON body keeps the description as the failure says it: JSON encoding keeps it harmless there.
    expect(response.body.error_description).toBe(description);
  });

  it('keeps a hostile resource metadata URL inside its quoted parameter', () => {
    const response = failureResponse(new MissingCredentialsError(), 'https://h/x", error="invalid_token\r\nX: y');
    const header = response.headers['WWW-Authenticate'];
    expect(header).toMatch(SAFE_HEADER);
    expect(parseBearerChallenge(header)).toEqual({ resource_metadata: "https://h/x', error='invalid_token??X: y" });
  });

  it('sends no error parameter without credentials, even when the scopes look like parameters', () => {
    const response = failureResponse(new MissingCredentialsError(['a"', 'error="invalid_token"']), METADATA);
    expect(parseBearerChallenge(response.headers['WWW-Authenticate'])).toEqual({
      scope: "a' error='invalid_token'",
      resource_metadata: METADATA,
    });
  });

  it.each<[string, number]>([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a negative value', -5],
    ['a huge value', 1e9 + 0.5],
  ])('sends Retry-After as delay-seconds for a 429 or 503 built from %s', (_name, seconds) => {
    for (const failure of [
      new TooManyFailedAuthenticationsError(seconds),
      new AuthorizationServerUnavailableError(seconds),
    ]) {
      expect(failureResponse(failure, METADATA).headers['Retry-After']).toMatch(DELAY_SECONDS);
    }
  });

  it('returns headers of its own for every call (one refusal cannot change the next)', () => {
    const first = failureResponse(new TooManyFailedAuthenticationsError(5), METADATA);
    const second = failureResponse(new ForbiddenOriginError(), METADATA);
    expect(first.headers).not.toBe(second.headers);
    expect(second.headers).toEqual({ 'Cache-Control': 'no-store' });
  });
});
