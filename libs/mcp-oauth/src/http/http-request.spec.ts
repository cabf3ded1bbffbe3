import { describe, expect, it } from '@jest/globals';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import {
  matchedRoutePathOf,
  type McpOAuthRequest,
  type McpOAuthResponse,
  nodeResponseOf,
  rawHeadersOf,
  requestTargetOf,
} from './http-request.js';

/** A Node request as the HTTP server hands it over (what Express extends and Fastify wraps in `raw`). */
function nodeRequest(url: string, rawHeaders: string[]): IncomingMessage {
  const message = new IncomingMessage(new Socket());
  message.method = 'POST';
  message.url = url;
  message.rawHeaders = rawHeaders;
  return message;
}

/** Express: the Node request itself, with `originalUrl` kept and `url` rewritten by mounts, and the matched route. */
function expressRequest(options: { originalUrl?: string; url: string; rawHeaders?: string[]; route?: unknown }) {
  const request = nodeRequest(options.url, options.rawHeaders ?? []) as IncomingMessage & McpOAuthRequest;
  if (options.originalUrl !== undefined) request.originalUrl = options.originalUrl;
  if (options.route !== undefined) request.route = options.route as McpOAuthRequest['route'];
  return request as McpOAuthRequest;
}

/** Fastify: a wrapper with its own `url`, `headers`, and the Node request in `raw`. */
function fastifyRequest(raw: IncomingMessage, routeUrl?: string): McpOAuthRequest {
  return {
    method: raw.method ?? 'POST',
    url: raw.url ?? '/',
    headers: {},
    raw,
    routeOptions: routeUrl === undefined ? {} : { url: routeUrl },
  };
}

describe('rawHeadersOf', () => {
  it('reads the header lines of an Express request, duplicates included', () => {
    const lines = ['Authorization', 'Bearer a', 'authorization', 'Bearer b'];
    expect(rawHeadersOf(expressRequest({ url: '/mcp', rawHeaders: lines }))).toEqual(lines);
  });

  it('reads the header lines of the Node request under a Fastify request', () => {
    const lines = ['Host', 'h', 'X-Request-Id', 'r1'];
    expect(rawHeadersOf(fastifyRequest(nodeRequest('/mcp', lines)))).toEqual(lines);
  });

  it('prefers the lines on the request itself over those under raw', () => {
    const request: McpOAuthRequest = {
      method: 'POST',
      url: '/mcp',
      headers: {},
      rawHeaders: ['A', '1'],
      raw: nodeRequest('/mcp', ['B', '2']),
    };
    expect(rawHeadersOf(request)).toEqual(['A', '1']);
  });

  it('is empty when neither says', () => {
    expect(rawHeadersOf({ method: 'POST', url: '/mcp', headers: { authorization: 'Bearer x' } })).toEqual([]);
  });
});

describe('requestTargetOf', () => {
  it.each<[string, McpOAuthRequest, string]>([
    [
      'Express: originalUrl, not the url a mount rewrote',
      expressRequest({ originalUrl: '/api/mcp?x=1', url: '/mcp?x=1' }),
      '/api/mcp?x=1',
    ],
    ['Express without originalUrl: url', expressRequest({ url: '/mcp' }), '/mcp'],
    ['Express, an absolute-form target', expressRequest({ originalUrl: 'http://h/mcp', url: '/mcp' }), 'http://h/mcp'],
    ['Fastify: the Node request url', fastifyRequest(nodeRequest('/mcp?y=2', [])), '/mcp?y=2'],
    [
      'Fastify, whatever its own url says',
      { ...fastifyRequest(nodeRequest('http://h/mcp', [])), url: '/rewritten' },
      'http://h/mcp',
    ],
    ['a plain object', { method: 'GET', url: '*', headers: {} }, '*'],
  ])('%s', (_name, request, target) => {
    expect(requestTargetOf(request)).toBe(target);
  });
});

describe('matchedRoutePathOf', () => {
  it.each<[string, McpOAuthRequest, string | undefined]>([
    ['an Express route path', expressRequest({ url: '/mcp', route: { path: '/mcp' } }), '/mcp'],
    ['a Fastify route url', fastifyRequest(nodeRequest('/MCP/', []), '/mcp'), '/mcp'],
    ['no route', expressRequest({ url: '/mcp' }), undefined],
    ['a Fastify request without a route url', fastifyRequest(nodeRequest('/mcp', [])), undefined],
    ['an Express route whose path is a RegExp', expressRequest({ url: '/mcp', route: { path: /\/mcp/ } }), undefined],
    ['an Express route whose path is an array', expressRequest({ url: '/mcp', route: { path: ['/mcp'] } }), undefined],
    ['an Express route without a path', expressRequest({ url: '/mcp', route: {} }), undefined],
    [
      'a non-string Express path beside a Fastify url',
      { method: 'POST', url: '/mcp', headers: {}, route: { path: 42 }, routeOptions: { url: '/mcp' } },
      '/mcp',
    ],
  ])('%s', (_name, request, path) => {
    expect(matchedRoutePathOf(request)).toBe(path);
  });
});

describe('nodeResponseOf', () => {
  const request = nodeRequest('/mcp', []);

  it('returns an Express response (a Node response) itself', () => {
    const response = new ServerResponse(request);
    expect(nodeResponseOf(response)).toBe(response);
  });

  it('returns the Node response under a Fastify reply', () => {
    const raw = new ServerResponse(request);
    expect(nodeResponseOf({ raw })).toBe(raw);
  });

  it.each<[string, unknown]>([
    ['a string', 'not a response'],
    ['undefined', undefined],
  ])('returns the response itself when its raw is %s', (_name, raw) => {
    const response = Object.assign(new ServerResponse(request), { raw });
    expect(nodeResponseOf(response as unknown as McpOAuthResponse)).toBe(response);
  });
});
