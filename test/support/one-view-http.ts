import { connect, type Socket } from 'node:net';

/** MCP revision whose requests carry the per-request `_meta` envelope and the SEP-2243 standard headers. */
export const MODERN_VERSION = '2026-07-28';
/** A 2025-era revision (the SDK serves it through its stateless fallback). */
export const LEGACY_VERSION = '2025-11-25';
export type Era = typeof LEGACY_VERSION | typeof MODERN_VERSION;
export const ERAS: Era[] = [LEGACY_VERSION, MODERN_VERSION];

/** `=?base64?…?=`: the SEP-2243 Base64 form of a header value. */
export function base64Sentinel(value: string): string {
  return `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** A `tools/call` body of the given era (2026-07-28 adds the `_meta` envelope the SDK requires). */
export function toolCallBody(era: Era, name: string, args: Record<string, unknown> = {}, id = 1): string {
  const params: Record<string, unknown> = { name, arguments: args };
  if (era === MODERN_VERSION) {
    params._meta = {
      'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
      'io.modelcontextprotocol/clientInfo': { name: 'one-view-e2e', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
  }
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params });
}

/**
 * Headers of a `tools/call` POST of the given era, without Content-Type. 2026-07-28 requests carry `Mcp-Method` and
 * `Mcp-Name` (SEP-2243); `mcpName` replaces the plain tool name (e.g. by its Base64 form).
 */
export function toolCallHeaders(era: Era, name: string, mcpName: string = name): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': era,
  };
  if (era === MODERN_VERSION) Object.assign(headers, { 'mcp-method': 'tools/call', 'mcp-name': mcpName });
  return headers;
}

/** One HTTP response read off a raw socket. */
export interface RawResponse {
  /** Status code (0 when the connection closed before a status line). */
  status: number;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Body, de-chunked, as UTF-8. */
  body: string;
}

/** What to write on the socket. */
export interface RawRequest {
  /** Request target, verbatim (origin-form `/mcp`, `/mcp#x`, absolute-form `http://…/mcp`...). */
  target?: string;
  method?: string;
  /** Header lines in order, verbatim (latin1: each char one byte). `Host` is added first unless given. */
  headers?: Array<[string, string]> | Record<string, string>;
  /** Body, sent with its Content-Length unless `framing` says otherwise. */
  body?: string | Buffer;
  /**
   * `'content-length'` (default when there is a body): Content-Length = the body's length; a number: that
   * Content-Length announced whatever is sent; `'chunked'`: `Transfer-Encoding: chunked`, the body sent as one chunk.
   */
  framing?: 'content-length' | 'chunked' | number;
  /** Leave the request body unfinished and the socket open until the response arrives. */
  keepOpen?: boolean;
  /**
   * Liveness bound while `keepOpen` (not a performance threshold): when no complete response came by then, the
   * promise rejects naming `what`, so a server that waits for the rest of the body fails the test instead of hanging
   * it.
   */
  giveUpAfterMs?: number;
  what?: string;
}

function headerLines(port: number, headers: RawRequest['headers']): Array<[string, string]> {
  const lines = Array.isArray(headers) ? [...headers] : Object.entries(headers ?? {});
  if (!lines.some(([name]) => name.toLowerCase() === 'host')) lines.unshift(['Host', `127.0.0.1:${port}`]);
  return lines;
}

/** Parses `raw` (latin1) when it holds one complete response; `undefined` while more is needed. */
function parseComplete(raw: string, ended: boolean): RawResponse | undefined {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0)
    return ended ? { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0), headers: {}, body: '' } : undefined;
  const [statusLine, ...lines] = raw.slice(0, headEnd).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  // Interim responses (100 Continue) are skipped.
  if (status >= 100 && status < 200) return parseComplete(raw.slice(headEnd + 4), ended);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const rest = raw.slice(headEnd + 4);
  const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    let body = '';
    let offset = 0;
    for (;;) {
      const sizeEnd = rest.indexOf('\r\n', offset);
      if (sizeEnd < 0) return ended ? { status, headers, body: utf8(body) } : undefined;
      const size = parseInt(rest.slice(offset, sizeEnd), 16);
      if (Number.isNaN(size)) return { status, headers, body: utf8(body) };
      if (size === 0) return { status, headers, body: utf8(body) };
      if (rest.length < sizeEnd + 2 + size + 2) return ended ? { status, headers, body: utf8(body) } : undefined;
      body += rest.slice(sizeEnd + 2, sizeEnd + 2 + size);
      offset = sizeEnd + 2 + size + 2;
    }
  }
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.length < length && !ended) return undefined;
    return { status, headers, body: utf8(rest.slice(0, length)) };
  }
  return ended ? { status, headers, body: utf8(rest) } : undefined;
}

/**
 * Writes one request verbatim on a fresh TCP connection to 127.0.0.1:`port` (request line, header lines, framing
 * headers, `Connection: close`, body) and resolves with the first complete response, as soon as it is complete (not
 * when the server closes: SSE answers keep their connection open). For request targets and header bytes node:http
 * refuses to send.
 */
export function exchange(port: number, request: RawRequest): Promise<RawResponse> {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const lines = headerLines(port, request.headers);
  const framing = request.framing ?? (body === undefined ? undefined : 'content-length');
  if (framing === 'chunked') lines.push(['Transfer-Encoding', 'chunked']);
  else if (typeof framing === 'number') lines.push(['Content-Length', String(framing)]);
  else if (framing === 'content-length') lines.push(['Content-Length', String(body?.length ?? 0)]);
  lines.push(['Connection', 'close']);
  const head = `${request.method ?? 'POST'} ${request.target ?? '/mcp'} HTTP/1.1\r\n${lines
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let raw = '';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: RawResponse | Error) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      raw += chunk;
      const response = parseComplete(raw, false);
      if (response) finish(response);
    });
    socket.on('end', () => finish(parseComplete(raw, true) ?? { status: 0, headers: {}, body: '' }));
    socket.on('close', () => finish(parseComplete(raw, true) ?? { status: 0, headers: {}, body: '' }));
    // A server that answers early and closes may reset the connection while the body is still being written.
    socket.on('error', (error) => finish(raw ? (parseComplete(raw, true) as RawResponse) : error));
    if (request.keepOpen && request.giveUpAfterMs !== undefined) {
      timer = setTimeout(
        () =>
          finish(
            new Error(
              `${request.what ?? 'request'}: no complete response within ${request.giveUpAfterMs} ms while the request body was still open (the server waits for the body)`,
            ),
          ),
        request.giveUpAfterMs,
      );
    }
    socket.write(head, 'latin1');
    if (body !== undefined) {
      socket.write(
        framing === 'chunked'
          ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')])
          : body,
      );
    }
    if (!request.keepOpen && framing === 'chunked') socket.write('0\r\n\r\n');
  });
}

/** The JSON body of a response, or `undefined` when it is not JSON. */
export function jsonBody(response: RawResponse | { body: string }): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(response.body) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON-RPC messages of an MCP response: a JSON body, or every `data:` line of an SSE body. */
export function rpcMessages(response: RawResponse | { body: string }): Array<Record<string, unknown>> {
  const direct = jsonBody(response);
  if (direct) return Array.isArray(direct) ? (direct as Array<Record<string, unknown>>) : [direct];
  return response.body
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .flatMap((line) => {
      const value = JSON.parse(line.slice(5)) as Record<string, unknown> | Array<Record<string, unknown>>;
      return Array.isArray(value) ? value : [value];
    });
}

/** Runs `tasks` with at most `width` in flight, results in order. */
export async function inPool<T, R>(items: readonly T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

/** Resolves once `condition()` holds (polled every 5 ms), or rejects after `boundMs` naming `what`. */
export async function eventually(condition: () => boolean, what: string, boundMs = 5000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not observed within ${boundMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
