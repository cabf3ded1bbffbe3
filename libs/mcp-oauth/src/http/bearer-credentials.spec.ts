import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError, InvalidTokenError } from '../errors/failures.js';
import { extractBearerToken, MAX_TOKEN_LENGTH } from './bearer-credentials.js';
import type { McpOAuthRequest } from './http-request.js';

type CredentialSource = McpOAuthRequest;

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl';

/** Builds a request the way Node does: `rawHeaders` keeps every line, `headers` folds them (lower-case names). */
function request(rawHeaders: [string, string][] = [], extra: { url?: string; body?: unknown } = {}): CredentialSource {
  const headers: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of rawHeaders) {
    const key = name.toLowerCase();
    const current = headers[key];
    headers[key] = current === undefined ? value : `${String(current)}, ${value}`;
  }
  return { method: 'POST', rawHeaders: rawHeaders.flat(), headers, url: extra.url ?? '/mcp', body: extra.body };
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('extractBearerToken', () => {
  describe('no credentials', () => {
    it.each<[string, CredentialSource]>([
      ['no headers at all', request()],
      [
        'unrelated headers only',
        request([
          ['Content-Type', 'application/json'],
          ['Accept', 'application/json'],
        ]),
      ],
      ['a token only in a cookie', request([['Cookie', `access_token=${JWT}`]])],
      [
        'a token only in another header',
        request([
          ['X-Access-Token', JWT],
          ['X-Authorization', `Bearer ${JWT}`],
        ]),
      ],
      ['the Basic scheme', request([['Authorization', 'Basic dXNlcjpwYXNz']])],
      ['the Digest scheme', request([['Authorization', 'Digest username="u"']])],
      ['a scheme that merely starts with Bearer', request([['Authorization', `Bearerx ${JWT}`]])],
      ['Bearer glued to the token', request([['Authorization', `Bearer${JWT}`]])],
      ['an empty Authorization header', request([['Authorization', '']])],
    ])('returns undefined for %s', (_name, source) => {
      expect(extractBearerToken(source)).toBeUndefined();
    });

    it('ignores an access_token in a JSON body (not a credential, RFC 6750 §2.2 is form bodies only)', () => {
      const source = request([['Content-Type', 'application/json']], { body: { access_token: JWT } });
      expect(extractBearerToken(source)).toBeUndefined();
    });

    it('still returns the header token when a JSON body also has access_token', () => {
      const source = request(
        [
          ['Authorization', `Bearer ${JWT}`],
          ['Content-Type', 'application/json'],
        ],
        { body: { access_token: 'other' } },
      );
      expect(extractBearerToken(source)).toBe(JWT);
    });
  });

  describe('valid Authorization: Bearer header', () => {
    it.each<[string, string, string]>([
      ['canonical form', `Bearer ${JWT}`, JWT],
      ['lower-case scheme', `bearer ${JWT}`, JWT],
      ['upper-case scheme', `BEARER ${JWT}`, JWT],
      ['mixed-case scheme', `bEaReR ${JWT}`, JWT],
      ['several spaces after the scheme', `Bearer    ${JWT}`, JWT],
      ['a tab after the scheme', `Bearer\t${JWT}`, JWT],
      ['mixed spaces and tabs after the scheme', `Bearer \t \t${JWT}`, JWT],
      ['leading and trailing whitespace', `  Bearer ${JWT} \t `, JWT],
      ['b64token characters - . _ ~ + /', 'Bearer aA0-._~+/', 'aA0-._~+/'],
      ['b64token trailing padding', 'Bearer abc==', 'abc=='],
      ['a one-character token', 'Bearer t', 't'],
    ])('accepts %s', (_name, header, expected) => {
      expect(extractBearerToken(request([['Authorization', header]]))).toBe(expected);
    });

    it('reads the header whatever the case of its name in rawHeaders', () => {
      expect(extractBearerToken(request([['aUtHoRiZaTiOn', `Bearer ${JWT}`]]))).toBe(JWT);
    });

    it('accepts a token of exactly the maximum length', () => {
      const token = 'a'.repeat(MAX_TOKEN_LENGTH);
      expect(extractBearerToken(request([['Authorization', `Bearer ${token}`]]))).toBe(token);
    });

    it('accepts a url with an unrelated query string', () => {
      const source = request([['Authorization', `Bearer ${JWT}`]], { url: '/mcp?token=x&access_token_hint=y' });
      expect(extractBearerToken(source)).toBe(JWT);
    });

    it('accepts a form body without access_token', () => {
      const source = request(
        [
          ['Authorization', `Bearer ${JWT}`],
          ['Content-Type', 'application/x-www-form-urlencoded'],
        ],
        { body: { grant: 'x' } },
      );
      expect(extractBearerToken(source)).toBe(JWT);
    });
  });

  describe('malformed Bearer credentials -> InvalidTokenError (401 invalid_token)', () => {
    it.each<[string, string]>([
      ['scheme without a token', 'Bearer'],
      ['scheme followed by spaces only', 'Bearer    '],
      ['scheme followed by a tab only', 'Bearer\t'],
      ['a space inside the token', 'Bearer abc def'],
      ['a tab inside the token', 'Bearer abc\tdef'],
      ['a comma (two credentials in one header)', `Bearer ${JWT}, Bearer ${JWT}`],
      ['a quote', 'Bearer "abc"'],
      ['a backslash', 'Bearer abc\\def'],
      ['padding in the middle', 'Bearer ab=cd'],
      ['padding only', 'Bearer =='],
      ['non-ASCII characters', 'Bearer tökén'],
      ['a colon', 'Bearer a:b'],
      ['a semicolon', 'Bearer a;b'],
    ])('rejects %s', (_name, header) => {
      const error = errorOf(() => extractBearerToken(request([['Authorization', header]])));
      expect(error).toBeInstanceOf(InvalidTokenError);
      expect(error).toMatchObject({ status: 401, error: 'invalid_token', reason: 'malformed' });
    });

    it('rejects a token one character over the maximum length without echoing it', () => {
      const token = 'a'.repeat(MAX_TOKEN_LENGTH + 1);
      const error = errorOf(() => extractBearerToken(request([['Authorization', `Bearer ${token}`]])));
      expect(error).toBeInstanceOf(InvalidTokenError);
      expect((error as Error).message).toContain(String(MAX_TOKEN_LENGTH));
      expect((error as Error).message).not.toContain(token);
    });

    it('never puts the token in the error message', () => {
      const error = errorOf(() => extractBearerToken(request([['Authorization', 'Bearer secret"value']])));
      expect((error as Error).message).not.toContain('secret');
    });
  });

  describe('forbidden credential placement -> InvalidRequestError (400 invalid_request)', () => {
    it.each<[string, CredentialSource]>([
      [
        'two Authorization headers',
        request([
          ['Authorization', `Bearer ${JWT}`],
          ['Authorization', `Bearer ${JWT}`],
        ]),
      ],
      [
        'two Authorization headers of different case',
        request([
          ['Authorization', `Bearer ${JWT}`],
          ['authorization', 'Basic eA=='],
        ]),
      ],
      [
        'two Authorization headers, one empty',
        request([
          ['Authorization', ''],
          ['Authorization', `Bearer ${JWT}`],
        ]),
      ],
      ['a query token', request([], { url: `/mcp?access_token=${JWT}` })],
      ['an empty query token', request([], { url: '/mcp?access_token=' })],
      ['a query token after another parameter', request([], { url: `/mcp?a=1&access_token=${JWT}` })],
      ['a percent-encoded query parameter name', request([], { url: `/mcp?access%5Ftoken=${JWT}` })],
      [
        'a query token together with a header',
        request([['Authorization', `Bearer ${JWT}`]], { url: `/mcp?access_token=${JWT}` }),
      ],
      [
        'a form body token',
        request([['Content-Type', 'application/x-www-form-urlencoded']], { body: { access_token: JWT } }),
      ],
      [
        'a form body token with a charset and upper-case content type',
        request([['Content-Type', 'Application/X-WWW-Form-Urlencoded; charset=UTF-8']], {
          body: { access_token: JWT },
        }),
      ],
      [
        'a form body token together with a header',
        request(
          [
            ['Authorization', `Bearer ${JWT}`],
            ['Content-Type', 'application/x-www-form-urlencoded'],
          ],
          { body: { access_token: JWT } },
        ),
      ],
    ])('rejects %s', (_name, source) => {
      const error = errorOf(() => extractBearerToken(source));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ status: 400, error: 'invalid_request' });
      expect((error as Error).message).not.toContain(JWT);
    });

    it('reads duplicates from rawHeaders even when headers shows one folded value', () => {
      const source: CredentialSource = {
        method: 'POST',
        rawHeaders: ['Authorization', `Bearer ${JWT}`, 'Authorization', `Bearer ${JWT}`],
        headers: { authorization: `Bearer ${JWT}` },
        url: '/mcp',
      };
      expect(() => extractBearerToken(source)).toThrow(InvalidRequestError);
    });
  });
});
