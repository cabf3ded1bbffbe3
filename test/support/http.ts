import { type IncomingHttpHeaders, request as nodeHttpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';

/*
 * The two ways the e2e suites talk HTTP below fetch: node:http, for requests fetch would change (a header sent twice,
 * a Host header, latin1 bytes, another local address), and a raw socket, for bytes node:http refuses to send.
 */

/** A response read with node:http: status, headers (repeats folded as node:http folds them), raw header lines, body. */
export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every header line as received, `[name, value, name, value, ...]` (to spot injected lines). */
  rawHeaders: string[];
  body: string;
}

/**
 * One request with node:http on a fresh connection (no keep-alive, so a connection the server closes, e.g. after a
 * 431, cannot affect the next request). A header given as an array is sent as several lines; header values go out as
 * latin1 bytes, as they are; `localAddress` picks the client address (127.0.0.2 is another client on loopback).
 */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: string; localAddress?: string } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = nodeHttpRequest(
      url,
      { method: options.method ?? 'POST', headers: options.headers, localAddress: options.localAddress, agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            rawHeaders: response.rawHeaders,
            body,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** One HTTP response read off a raw socket. */
export interface RawResponse {
  /** Status code (0 when the connection closed before a status line). */
  status: number;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Every header line as received, `[name, value, name, value, ...]` (to spot injected lines). */
  rawHeaders: string[];
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
    return ended
      ? { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0), headers: {}, rawHeaders: [], body: '' }
      : undefined;
  const [statusLine, ...lines] = raw.slice(0, headEnd).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  // Interim responses (100 Continue) are skipped.
  if (status >= 100 && status < 200) return parseComplete(raw.slice(headEnd + 4), ended);
  const headers: Record<string, string> = {};
  const rawHeaders: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const value = line.slice(colon + 1).trim();
    rawHeaders.push(line.slice(0, colon).trim(), value);
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const rest = raw.slice(headEnd + 4);
  const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    let body = '';
    let offset = 0;
    for (;;) {
      const sizeEnd = rest.indexOf('\r\n', offset);
      if (sizeEnd < 0) return ended ? { status, headers, rawHeaders, body: utf8(body) } : undefined;
      const size = parseInt(rest.slice(offset, sizeEnd), 16);
      if (Number.isNaN(size)) return { status, headers, rawHeaders, body: utf8(body) };
      if (size === 0) return { status, headers, rawHeaders, body: utf8(body) };
      if (rest.length < sizeEnd + 2 + size + 2)
        return ended ? { status, headers, rawHeaders, body: utf8(body) } : undefined;
      body += rest.slice(sizeEnd + 2, sizeEnd + 2 + size);
      offset = sizeEnd + 2 + size + 2;
    }
  }
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.length < length && !ended) return undefined;
    return { status, headers, rawHeaders, body: utf8(rest.slice(0, length)) };
  }
  return ended ? { status, headers, rawHeaders, body: utf8(rest) } : undefined;
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
    socket.on('end', () => finish(parseComplete(raw, true) ?? { status: 0, headers: {}, rawHeaders: [], body: '' }));
    socket.on('close', () => finish(parseComplete(raw, true) ?? { status: 0, headers: {}, rawHeaders: [], body: '' }));
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
