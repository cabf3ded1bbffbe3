import { describe, expect, it } from '@jest/globals';
import {
  AuthorizationServerUnavailableError,
  ForbiddenOriginError,
  InsufficientScopeError,
  InvalidRequestError,
  type InvalidRequestReason,
  InvalidTokenError,
  MissingCredentialsError,
  TooManyFailedAuthenticationsError,
  UnknownToolError,
  UnsupportedMediaTypeError,
} from './failures.js';
import { McpOAuthFailure } from './mcp-oauth-failure.js';

describe('InvalidRequestError.aboutCredentials', () => {
  it.each<[InvalidRequestReason, boolean]>([
    ['duplicate_credentials', true],
    ['token_in_query', true],
    ['token_in_body', true],
    ['absolute_form_target', false],
    ['invalid_host', false],
    ['batch_too_large', false],
    ['json_too_deep', false],
    ['mcp_header_mismatch', false],
    ['mcp_name_encoding', false],
  ])('is %s -> %s', (reason, expected) => {
    const error = new InvalidRequestError(reason, 'Something is wrong.');
    expect(error.aboutCredentials).toBe(expected);
    expect(error.reason).toBe(reason);
    expect(error.status).toBe(400);
    expect(error.error).toBe('invalid_request');
    expect(error.message).toBe('Something is wrong.');
  });

  it.each(['__proto__', 'constructor', 'hasOwnProperty', 'DUPLICATE_CREDENTIALS', 'token_in_query ', ''])(
    'is false for a reason outside the set (%j), whatever Object.prototype holds',
    (reason) => {
      expect(new InvalidRequestError(reason as InvalidRequestReason, 'x').aboutCredentials).toBe(false);
    },
  );
});

describe.each<[string, (seconds: number) => { retryAfterSeconds: number; message: string }]>([
  ['TooManyFailedAuthenticationsError', (seconds) => new TooManyFailedAuthenticationsError(seconds)],
  ['AuthorizationServerUnavailableError', (seconds) => new AuthorizationServerUnavailableError(seconds)],
])('%s retryAfterSeconds', (_name, create) => {
  it.each<[number, number]>([
    [1, 1],
    [2, 2],
    [59, 59],
    [3600, 3600],
    [1.0001, 2],
    [1.5, 2],
    [29.999, 30],
    [0.001, 1],
    [0.5, 1],
    [0, 1],
    [-0, 1],
    [-1, 1],
    [-3600.5, 1],
    [Number.MIN_VALUE, 1],
    [Number.NEGATIVE_INFINITY, 1],
  ])('rounds %p up to %p, never below 1 s', (given, expected) => {
    expect(create(given).retryAfterSeconds).toBe(expected);
  });

  it('floors NaN at 1 s too (e.g. a Retry-After date passed through Number())', () => {
    expect(create(Number.NaN).retryAfterSeconds).toBe(1);
  });
});

describe('TooManyFailedAuthenticationsError', () => {
  it('tells the rounded wait in its message', () => {
    const error = new TooManyFailedAuthenticationsError(4.2);
    expect(error.message).toBe('Too many failed authentications from this address; retry in 5 s.');
    expect(error.reason).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.error).toBe('too_many_requests');
  });
});

describe('AuthorizationServerUnavailableError', () => {
  it('keeps the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new AuthorizationServerUnavailableError(10, { cause });
    expect(error.cause).toBe(cause);
    expect(error.status).toBe(503);
    expect(error.error).toBe('temporarily_unavailable');
    expect(error.reason).toBe('authorization_server_unavailable');
  });
});

describe('every failure class', () => {
  it.each<[McpOAuthFailure, string, number, string, string]>([
    [new MissingCredentialsError(), 'MissingCredentialsError', 401, 'Unauthorized', 'missing_credentials'],
    [new InvalidRequestError('token_in_query', 'q'), 'InvalidRequestError', 400, 'invalid_request', 'token_in_query'],
    [new InvalidTokenError('expired', 'e'), 'InvalidTokenError', 401, 'invalid_token', 'expired'],
    [
      new InsufficientScopeError(['a'], ['a']),
      'InsufficientScopeError',
      403,
      'insufficient_scope',
      'insufficient_scope',
    ],
    [new UnknownToolError('t'), 'UnknownToolError', 403, 'unknown_tool', 'unknown_tool'],
    [new ForbiddenOriginError(), 'ForbiddenOriginError', 403, 'forbidden_origin', 'forbidden_origin'],
    [
      new UnsupportedMediaTypeError(),
      'UnsupportedMediaTypeError',
      415,
      'unsupported_media_type',
      'unsupported_media_type',
    ],
    [
      new TooManyFailedAuthenticationsError(3),
      'TooManyFailedAuthenticationsError',
      429,
      'too_many_requests',
      'rate_limited',
    ],
    [
      new AuthorizationServerUnavailableError(3),
      'AuthorizationServerUnavailableError',
      503,
      'temporarily_unavailable',
      'authorization_server_unavailable',
    ],
  ])('%s is named %s with status %p, error %p, reason %p', (failure, name, status, error, reason) => {
    expect(failure).toBeInstanceOf(McpOAuthFailure);
    expect(failure).toBeInstanceOf(Error);
    expect(failure.name).toBe(name);
    expect(failure.status).toBe(status);
    expect(failure.error).toBe(error);
    expect(failure.reason).toBe(reason);
    expect(failure.message.length).toBeGreaterThan(0);
  });

  it('quotes an unknown tool name as JSON, so odd bytes stay escaped in the message', () => {
    expect(new UnknownToolError('a"b\r\nc').message).toBe(
      `The tool "a\\"b\\r\\nc" is not known to this server's authorization: it may not be called.`,
    );
  });

  it('lists the missing scopes, not every required one, in the insufficient-scope message', () => {
    const error = new InsufficientScopeError(['todo:read', 'todo:write'], ['todo:write']);
    expect(error.message).toBe('The access token lacks the scope(s) this call needs: todo:write.');
    expect(error.requiredScopes).toEqual(['todo:read', 'todo:write']);
    expect(error.caller).toBeUndefined();
  });
});
