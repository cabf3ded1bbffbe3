import { describe, expect, it } from '@jest/globals';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { InvalidRequestError, UnsupportedMediaTypeError } from '../errors/failures.js';
import type { McpOAuthRequest } from './http-request.js';
import { readMcpRequest } from './mcp-request.js';

const JSON_HEADERS: IncomingHttpHeaders = {
  host: 'mcp.example.com',
  'content-type': 'application/json',
  'content-length': '100',
};
const toolCall = (name: string, id = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name } });

/** Express: the target as received is `originalUrl` (`url` may be rewritten by a mount). */
function express(options: { target?: string; headers?: IncomingHttpHeaders; body?: unknown } = {}): McpOAuthRequest {
  return {
    method: 'POST',
    url: '/mcp',
    originalUrl: options.target ?? '/mcp',
    headers: options.headers ?? JSON_HEADERS,
    body: options.body,
  };
}

/** Fastify: the target as received is `raw.url`. */
function fastify(options: { target?: string; headers?: IncomingHttpHeaders; body?: unknown } = {}): McpOAuthRequest {
  const headers = options.headers ?? JSON_HEADERS;
  return {
    method: 'POST',
    url: '/mcp',
    headers,
    body: options.body,
    raw: { url: options.target ?? '/mcp', headers } as IncomingMessage,
  };
}

function refusal(request: McpOAuthRequest): unknown {
  try {
    readMcpRequest(request);
  } catch (error) {
    return error;
  }
  throw new Error('expected readMcpRequest to throw');
}

const shapes = [
  ['Express', express],
  ['Fastify', fastify],
] as const;

describe.each(shapes)('readMcpRequest (%s request)', (_shape, request) => {
  describe('request target and Host', () => {
    it.each<[string, string]>([
      ['an absolute-form target', 'http://mcp.example.com/mcp'],
      ['an https absolute-form target', 'https://mcp.example.com/mcp?x=1'],
      ['an absolute-form target to another host', 'http://evil.example.com/mcp'],
      ['the asterisk form', '*'],
      ['an authority-form target', 'mcp.example.com:443'],
      ['a relative path', 'mcp'],
      ['an empty target', ''],
    ])('refuses %s (absolute_form_target)', (_name, target) => {
      const error = refusal(request({ target, body: toolCall('create_todo') }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).reason).toBe('absolute_form_target');
      expect((error as InvalidRequestError).aboutCredentials).toBe(false);
    });

    it.each<[string, string]>([
      ['an opening bracket', '['],
      ['a space', 'a b'],
      ['a bad percent escape', 'a%zz'],
      ['an unclosed IPv6 literal', '[::1'],
      ['a non-numeric port', 'mcp.example.com:port'],
      ['a port out of range', 'mcp.example.com:99999'],
      ['a caret', 'a^b'],
      ['a NUL', 'a\u0000b'],
      ['a forbidden pipe', 'a|b'],
    ])('refuses a Host with %s (invalid_host)', (_name, host) => {
      const error = refusal(request({ headers: { ...JSON_HEADERS, host }, body: toolCall('create_todo') }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).reason).toBe('invalid_host');
    });

    it.each<[string, string]>([
      ['a port', 'mcp.example.com:8443'],
      ['an IPv6 literal', '[::1]:3000'],
      ['an IPv4 address', '127.0.0.1'],
      ['upper case', 'MCP.EXAMPLE.COM'],
      ['an empty Host', ''],
    ])('accepts a Host with %s', (_name, host) => {
      expect(readMcpRequest(request({ headers: { ...JSON_HEADERS, host }, body: toolCall('a') }))).toEqual({
        toolCalls: ['a'],
        tools: ['a'],
      });
    });

    it('accepts a request without a Host header (HTTP/1.0)', () => {
      const headers = { 'content-type': 'application/json', 'content-length': '10' };
      expect(readMcpRequest(request({ headers, body: toolCall('a') }))).toEqual({ toolCalls: ['a'], tools: ['a'] });
    });

    it('checks the target before the Host', () => {
      const error = refusal(request({ target: 'http://h/mcp', headers: { ...JSON_HEADERS, host: 'a b' } }));
      expect((error as InvalidRequestError).reason).toBe('absolute_form_target');
    });

    it('refuses a bad Host even without a body', () => {
      const error = refusal(request({ headers: { host: '[' } }));
      expect((error as InvalidRequestError).reason).toBe('invalid_host');
    });
  });

  describe('body', () => {
    it.each<[string, IncomingHttpHeaders]>([
      ['no framing headers (a GET for the SSE stream)', { host: 'h' }],
      ['no framing headers but a JSON content type', { host: 'h', 'content-type': 'application/json' }],
    ])('reads no tool call without a body: %s', (_name, headers) => {
      // Whatever the framework put in `body`, nothing is read when the request announces no body.
      expect(readMcpRequest(request({ headers, body: toolCall('ignored') }))).toEqual({ toolCalls: [], tools: [] });
      expect(readMcpRequest(request({ headers, body: undefined }))).toEqual({ toolCalls: [], tools: [] });
    });

    it.each<[string, string | undefined]>([
      ['no content type', undefined],
      ['text/plain', 'text/plain'],
      ['a form', 'application/x-www-form-urlencoded'],
      ['application/jsonx', 'application/jsonx'],
      ['a list of types', 'application/json, text/plain'],
      ['a no-break space after the type', 'application/json\u00a0'],
      ['application/ld+json', 'application/ld+json'],
    ])('refuses a body with %s (415), even one the framework parsed', (_name, contentType) => {
      const headers: IncomingHttpHeaders = { host: 'h', 'content-length': '50', 'content-type': contentType };
      expect(refusal(request({ headers, body: toolCall('create_todo') }))).toBeInstanceOf(UnsupportedMediaTypeError);
    });

    it.each<[string, unknown]>([
      ['not parsed (undefined)', undefined],
      ['a string', '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_all"}}'],
      ['a Buffer', Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_all"}}')],
      ['null (the JSON text null)', null],
      ['a number', 42],
      ['a boolean', true],
    ])('refuses a JSON body the framework left %s (415)', (_name, body) => {
      expect(refusal(request({ body }))).toBeInstanceOf(UnsupportedMediaTypeError);
    });

    it('refuses a chunked body that was not parsed (415)', () => {
      const headers = { host: 'h', 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
      expect(refusal(request({ headers }))).toBeInstanceOf(UnsupportedMediaTypeError);
    });

    it('reads a chunked JSON body the framework parsed', () => {
      const headers = { host: 'h', 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
      expect(readMcpRequest(request({ headers, body: toolCall('a') }))).toEqual({ toolCalls: ['a'], tools: ['a'] });
    });

    it('reads the tools of a single tools/call', () => {
      expect(readMcpRequest(request({ body: toolCall('create_todo') }))).toEqual({
        toolCalls: ['create_todo'],
        tools: ['create_todo'],
      });
    });

    it('lists every call of a batch in order, and each tool once', () => {
      const body = [toolCall('b', 1), toolCall('a', 2), { method: 'tools/list', id: 3 }, toolCall('b', 4)];
      expect(readMcpRequest(request({ body }))).toEqual({ toolCalls: ['b', 'a', 'b'], tools: ['b', 'a'] });
    });

    it('reads nothing to authorize in a message that calls no tool', () => {
      expect(readMcpRequest(request({ body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } }))).toEqual({
        toolCalls: [],
        tools: [],
      });
    });

    it('keeps tools named like Object.prototype members', () => {
      const body = [toolCall('__proto__'), toolCall('constructor'), toolCall('__proto__')];
      expect(readMcpRequest(request({ body }))).toEqual({
        toolCalls: ['__proto__', 'constructor', '__proto__'],
        tools: ['__proto__', 'constructor'],
      });
    });

    it('accepts a JSON content type with a charset and another case', () => {
      const headers = { ...JSON_HEADERS, 'content-type': 'Application/JSON; charset=utf-8' };
      expect(readMcpRequest(request({ headers, body: toolCall('a') })).tools).toEqual(['a']);
    });

    it.each<[string, unknown, string]>([
      ['a batch of 101 messages', Array.from({ length: 101 }, (_, id) => toolCall('a', id)), 'batch_too_large'],
      [
        'a body nested 129 deep',
        { ...toolCall('a'), params: { name: 'a', arguments: JSON.parse(`${'['.repeat(127)}${']'.repeat(127)}`) } },
        'json_too_deep',
      ],
    ])('refuses %s (400)', (_name, body, reason) => {
      const error = refusal(request({ body }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).reason).toBe(reason);
    });
  });

  describe('routing headers', () => {
    it.each<[string, IncomingHttpHeaders, string]>([
      [
        'an agreeing Mcp-Method and Base64 Mcp-Name',
        { 'mcp-method': 'tools/call', 'mcp-name': '=?base64?YQ==?=' },
        'ok',
      ],
      ['an Mcp-Name naming another tool', { 'mcp-method': 'tools/call', 'mcp-name': 'b' }, 'mcp_header_mismatch'],
      ['an Mcp-Method naming another method', { 'mcp-method': 'tools/list' }, 'mcp_header_mismatch'],
      ['an invalid Base64 sentinel', { 'mcp-name': '=?base64?YQ?=' }, 'mcp_name_encoding'],
    ])('checks %s against the body', (_name, extra, expected) => {
      const run = () => readMcpRequest(request({ headers: { ...JSON_HEADERS, ...extra }, body: toolCall('a') }));
      if (expected === 'ok') {
        expect(run()).toEqual({ toolCalls: ['a'], tools: ['a'] });
      } else {
        const error = refusal(request({ headers: { ...JSON_HEADERS, ...extra }, body: toolCall('a') }));
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect((error as InvalidRequestError).reason).toBe(expected);
      }
    });

    it('does not read routing headers when there is no body', () => {
      const headers = { host: 'h', 'mcp-method': 'tools/call', 'mcp-name': '=?base64?%%%?=' };
      expect(readMcpRequest(request({ headers }))).toEqual({ toolCalls: [], tools: [] });
    });
  });
});

describe('readMcpRequest: which target counts', () => {
  it('reads the Express originalUrl, not a url a mount rewrote', () => {
    const request: McpOAuthRequest = { ...express({ body: toolCall('a') }), originalUrl: 'http://h/mcp', url: '/mcp' };
    expect((refusal(request) as InvalidRequestError).reason).toBe('absolute_form_target');
  });

  it('reads the Fastify raw.url, not the wrapper url', () => {
    const request: McpOAuthRequest = { ...fastify({ target: 'http://h/mcp', body: toolCall('a') }), url: '/mcp' };
    expect((refusal(request) as InvalidRequestError).reason).toBe('absolute_form_target');
  });

  it('falls back to url when neither originalUrl nor raw is there', () => {
    const request: McpOAuthRequest = { method: 'POST', url: 'http://h/mcp', headers: JSON_HEADERS, body: {} };
    expect((refusal(request) as InvalidRequestError).reason).toBe('absolute_form_target');
  });
});
