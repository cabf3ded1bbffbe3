import { describe, expect, it } from '@jest/globals';
import { parseBearerChallenge } from '../testing/parse-bearer-challenge.js';
import { type BearerChallenge, buildBearerChallenge, toChallengeValue } from './bearer-challenge.js';

const METADATA = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';

/** Printable ASCII without `"` and `\` (RFC 6750 §3 error_description / scope characters). */
const SAFE_VALUE = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;
/** A header value made only of visible ASCII and spaces: no CR, LF, NUL, DEL or non-ASCII. */
const SAFE_HEADER = /^[\x20-\x7E]*$/;

function parsed(challenge: BearerChallenge): Record<string, string> {
  const header = buildBearerChallenge(challenge);
  const params = parseBearerChallenge(header);
  if (params === undefined) throw new Error(`not a parseable Bearer challenge: ${header}`);
  return params;
}

describe('buildBearerChallenge', () => {
  it('has only resource_metadata when the request carried no credentials (no error, RFC 6750 §3.1)', () => {
    const header = buildBearerChallenge({ resourceMetadataUrl: METADATA });
    expect(header).toBe(`Bearer resource_metadata="${METADATA}"`);
    expect(parsed({ resourceMetadataUrl: METADATA })).toEqual({ resource_metadata: METADATA });
  });

  it('adds scope but no error to a no-credentials challenge', () => {
    expect(parsed({ resourceMetadataUrl: METADATA, scopes: ['todo:read', 'todo:write'] })).toEqual({
      scope: 'todo:read todo:write',
      resource_metadata: METADATA,
    });
  });

  it('drops error_description when there is no error', () => {
    const params = parsed({ resourceMetadataUrl: METADATA, errorDescription: 'should not appear' });
    expect(params).toEqual({ resource_metadata: METADATA });
  });

  it('omits scope for an empty scope list', () => {
    expect(parsed({ resourceMetadataUrl: METADATA, error: 'invalid_token', scopes: [] })).toEqual({
      error: 'invalid_token',
      resource_metadata: METADATA,
    });
  });

  it.each(['invalid_request', 'invalid_token', 'insufficient_scope'] as const)(
    'carries error="%s" with its description',
    (error) => {
      expect(parsed({ resourceMetadataUrl: METADATA, error, errorDescription: 'Something went wrong.' })).toEqual({
        error,
        error_description: 'Something went wrong.',
        resource_metadata: METADATA,
      });
    },
  );

  it('builds the insufficient_scope challenge with every needed scope joined by single spaces', () => {
    const header = buildBearerChallenge({
      resourceMetadataUrl: METADATA,
      error: 'insufficient_scope',
      scopes: ['todo:read', 'todo:write', 'admin'],
    });
    expect(header).toBe(
      `Bearer error="insufficient_scope", scope="todo:read todo:write admin", resource_metadata="${METADATA}"`,
    );
  });

  it.each<[string, string, string]>([
    ['a double quote', 'token "abc" expired', "token 'abc' expired"],
    ['a quote then a fake parameter', 'x", error="invalid_request', "x', error='invalid_request"],
    ['a trailing backslash escaping the closing quote', 'ends with \\', 'ends with ?'],
    ['an escaped quote', 'a\\"b', "a?'b"],
    ['CR LF and a new header line', 'bad\r\nSet-Cookie: a=b', 'bad??Set-Cookie: a=b'],
    ['a bare LF', 'line1\nline2', 'line1?line2'],
    ['a NUL and DEL', 'a\u0000b\u007Fc', 'a?b?c'],
    ['a tab', 'a\tb', 'a?b'],
    ['non-ASCII letters', 'tökén ünknown', 't?k?n ?nknown'],
    ['an astral-plane emoji (two UTF-16 units)', 'key 🔑', 'key ??'],
    ['a Unicode line separator', 'a\u2028b', 'a?b'],
  ])('keeps %s inside the quoted error_description', (_name, description, expected) => {
    const challenge: BearerChallenge = {
      resourceMetadataUrl: METADATA,
      error: 'invalid_token',
      errorDescription: description,
    };
    const header = buildBearerChallenge(challenge);
    expect(header).toMatch(SAFE_HEADER);
    expect(header).not.toMatch(/[\r\n]/);
    expect(parseBearerChallenge(header)).toEqual({
      error: 'invalid_token',
      error_description: expected,
      resource_metadata: METADATA,
    });
  });

  it('sanitizes scope values the same way', () => {
    const params = parsed({ resourceMetadataUrl: METADATA, error: 'insufficient_scope', scopes: ['a"b', 'c\\d', 'é'] });
    expect(params).toEqual({ error: 'insufficient_scope', scope: "a'b c?d ?", resource_metadata: METADATA });
  });

  it('puts each parameter at most once and in a fixed order', () => {
    const header = buildBearerChallenge({
      resourceMetadataUrl: METADATA,
      error: 'insufficient_scope',
      errorDescription: 'error="x", scope="y", resource_metadata="z"',
      scopes: ['scope="q"', 'resource_metadata=r'],
    });
    // parseBearerChallenge returns undefined when any parameter repeats (RFC 6750 §3).
    const params = parseBearerChallenge(header);
    expect(params).toBeDefined();
    expect(Object.keys(params ?? {})).toEqual(['error', 'error_description', 'scope', 'resource_metadata']);
    expect(params).toEqual({
      error: 'insufficient_scope',
      error_description: "error='x', scope='y', resource_metadata='z'",
      scope: "scope='q' resource_metadata=r",
      resource_metadata: METADATA,
    });
  });
});

describe('toChallengeValue', () => {
  it('leaves printable ASCII without quote and backslash untouched', () => {
    let printable = '';
    for (let code = 0x20; code <= 0x7e; code += 1) {
      if (code !== 0x22 && code !== 0x5c) printable += String.fromCharCode(code);
    }
    expect(toChallengeValue(printable)).toBe(printable);
  });

  it('maps every other code unit to a safe character, one for one', () => {
    for (let code = 0; code <= 0x2ff; code += 1) {
      const value = toChallengeValue(`x${String.fromCharCode(code)}y`);
      expect(value).toMatch(SAFE_VALUE);
      expect(value).toHaveLength(3);
    }
  });

  it.each<[string, string]>([
    ['"', "'"],
    ['\\', '?'],
    ['\r\n', '??'],
    ['', ''],
  ])('maps %j to %j', (input, output) => {
    expect(toChallengeValue(input)).toBe(output);
  });
});

describe('parseBearerChallenge', () => {
  it.each<[string, string | null | undefined]>([
    ['undefined', undefined],
    ['null', null],
    ['an empty string', ''],
    ['the Basic scheme', 'Basic realm="x"'],
    ['the DPoP scheme', 'DPoP error="invalid_token"'],
    ['a scheme that starts with Bearer', 'Bearerx error="x"'],
    ['a repeated parameter', 'Bearer error="invalid_token", error="invalid_request"'],
    ['a repeated parameter differing in case', 'Bearer Scope="a", scope="b"'],
    ['a token68 value instead of parameters', 'Bearer abc123=='],
    ['a bare token68 without padding', 'Bearer mF_9.B5f-4.1JqM'],
    ['two parameters without a comma', 'Bearer error="a" scope="b"'],
    ['an unterminated quoted string', 'Bearer error="invalid_token'],
    ['a quoted string ending in an escaped quote', 'Bearer error="invalid_token\\"'],
    ['an unquoted value with a slash', 'Bearer resource_metadata=https://h/x'],
    ['a second challenge after the first', 'Bearer error="a", Basic realm="b"'],
    ['an injected header line', 'Bearer error="a"\r\nSet-Cookie: x=y'],
    ['a parameter without a value', 'Bearer error='],
  ])('returns undefined for %s', (_name, header) => {
    expect(parseBearerChallenge(header)).toBeUndefined();
  });

  it.each<[string, string, Record<string, string>]>([
    ['a bare scheme', 'Bearer', {}],
    ['a lower-case scheme', 'bearer error="invalid_token"', { error: 'invalid_token' }],
    ['leading whitespace', '  Bearer scope="a"', { scope: 'a' }],
    ['an unquoted token value', 'Bearer error=invalid_token', { error: 'invalid_token' }],
    ['escaped quotes', 'Bearer error_description="say \\"hi\\" now"', { error_description: 'say "hi" now' }],
    ['an escaped backslash', 'Bearer error_description="a\\\\b"', { error_description: 'a\\b' }],
    ['an escaped ordinary character', 'Bearer error_description="\\a\\b"', { error_description: 'ab' }],
    [
      'a comma inside a quoted string',
      'Bearer error_description="a, b=c", scope="s"',
      { error_description: 'a, b=c', scope: 's' },
    ],
    [
      'an equals sign inside a quoted string',
      'Bearer resource_metadata="https://h/x?a=b"',
      { resource_metadata: 'https://h/x?a=b' },
    ],
    ['an empty quoted value', 'Bearer scope=""', { scope: '' }],
    ['whitespace around = and commas', 'Bearer error = "a" ,  scope="b"', { error: 'a', scope: 'b' }],
    ['upper-case parameter names (lower-cased)', 'Bearer ERROR="a"', { error: 'a' }],
  ])('parses %s', (_name, header, expected) => {
    expect(parseBearerChallenge(header)).toEqual(expected);
  });
});
