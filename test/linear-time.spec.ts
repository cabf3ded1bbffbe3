import { describe, expect, it } from '@jest/globals';
import { extractBearerToken } from '../libs/mcp-oauth/src/http/bearer-credentials.js';
import type { McpOAuthRequest } from '../libs/mcp-oauth/src/http/http-request.js';
import { isJsonMediaType } from '../libs/mcp-oauth/src/http/json-media-type.js';
import { readMcpRequest } from '../libs/mcp-oauth/src/http/mcp-request.js';
import { normalizeRoutePath, pathOfTarget } from '../libs/mcp-oauth/src/http/request-path.js';
import { readJsonRpcBody } from '../libs/mcp-oauth/src/mcp/json-rpc-body.js';
import { decodeMcpNameHeader } from '../libs/mcp-oauth/src/mcp/mcp-name-header.js';

/**
 * Work per request before authentication must grow linearly with the input: an anonymous caller must not be able to
 * buy quadratic work with a long header, path or body (the functions below run before any token is checked).
 * Timing-free in the sense that matters on a shared machine: no threshold on seconds, only the ratio between the
 * same function on an input N times longer, measured side by side (best of several runs). Linear code gives a
 * ratio near N; quadratic code near N²; the test allows a quarter of the way to N² (generous against noise).
 */
const GROWTH = 16;

function bestMs(run: () => unknown, repeats: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 7; round += 1) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < repeats; index += 1) run();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return best;
}

/** Time ratio of `work(input(GROWTH * n))` to `work(input(n))`, with enough repeats that the small one is measurable. */
function growthRatio(work: (input: string) => unknown, input: (size: number) => string, size: number): number {
  const small = input(size);
  const large = input(size * GROWTH);
  let repeats = 1;
  while (bestMs(() => work(small), repeats) < 2 && repeats < 1 << 20) repeats *= 2;
  return bestMs(() => work(large), repeats) / bestMs(() => work(small), repeats);
}

const LINEAR_BOUND = (GROWTH * GROWTH) / 4;
const slashes = (size: number) => `/${'/'.repeat(size)}a`;

function mcpRequest(headers: Record<string, string>, body?: unknown): McpOAuthRequest {
  return { method: 'POST', url: '/mcp', headers, rawHeaders: Object.entries(headers).flat(), body };
}

function attempt(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    return error;
  }
}

describe('work on request data grows linearly with its size', () => {
  it('the harness tells quadratic from linear: the /\\/+$/ the CORS middleware once ran on every path', () => {
    const quadratic = (path: string) => path.replace(/\/+$/, '');
    expect(growthRatio(quadratic, slashes, 2000)).toBeGreaterThan(LINEAR_BOUND);
  });

  it.each<[string, (input: string) => unknown, (size: number) => string]>([
    ['normalizeRoutePath on a run of slashes that does not end the path', normalizeRoutePath, slashes],
    ['normalizeRoutePath on a path of slashes only', normalizeRoutePath, (size) => '/'.repeat(size)],
    ['pathOfTarget on a long absolute-form target', pathOfTarget, (size) => `http://h${'/'.repeat(size)}?#`],
    ['isJsonMediaType on long whitespace', isJsonMediaType, (size) => `application/json${' \t'.repeat(size)};`],
    [
      'decodeMcpNameHeader on a long Base64 sentinel',
      decodeMcpNameHeader,
      (size) => `=?base64?${'QUFB'.repeat(size)}!?=`,
    ],
    [
      'decodeMcpNameHeader on long whitespace',
      decodeMcpNameHeader,
      (size) => `${' '.repeat(size)}x${'\t'.repeat(size)}`,
    ],
    [
      'extractBearerToken on a long run of spaces after the scheme',
      (value) => attempt(() => extractBearerToken(mcpRequest({ authorization: value }))),
      (size) => `Bearer${' '.repeat(size)}\u000b`,
    ],
    [
      'extractBearerToken on a long query',
      (value) => attempt(() => extractBearerToken({ ...mcpRequest({}), url: value })),
      (size) => `/mcp?${'a=1&'.repeat(size)}`,
    ],
    [
      'extractBearerToken on a long query of names without values',
      (value) => attempt(() => extractBearerToken({ ...mcpRequest({}), url: value })),
      (size) => `/mcp?${'a&'.repeat(size * 2)}`,
    ],
    [
      'readJsonRpcBody on deep nesting (refused past the depth limit)',
      (value) => attempt(() => readJsonRpcBody(JSON.parse(value))),
      (size) => `${'['.repeat(size)}${']'.repeat(size)}`,
    ],
    [
      'readJsonRpcBody on a wide object',
      (value) => attempt(() => readJsonRpcBody(JSON.parse(value))),
      (size) =>
        JSON.stringify({ params: { arguments: Object.fromEntries([...Array(size).keys()].map((k) => [k, [k]])) } }),
    ],
    [
      'readMcpRequest on a long Mcp-Name header',
      (value) =>
        attempt(() =>
          readMcpRequest(
            mcpRequest(
              { host: 'h', 'content-type': 'application/json', 'content-length': '1', 'mcp-name': value },
              { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } },
            ),
          ),
        ),
      (size) => `=?base64?${'A'.repeat(size)}?=`,
    ],
  ])('%s', (_name, work, input) => {
    // 500 -> 8,000 units: the top is above what Node's 16 KiB header limit lets a request line or header carry.
    expect(growthRatio(work, input, 500)).toBeLessThan(LINEAR_BOUND);
  });
});
