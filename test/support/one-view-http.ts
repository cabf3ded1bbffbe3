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

/** The JSON body of a response, or `undefined` when it is not JSON. */
export function jsonBody(response: { body: string }): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(response.body) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON-RPC messages of an MCP response: a JSON body, or every `data:` line of an SSE body. */
export function rpcMessages(response: { body: string }): Array<Record<string, unknown>> {
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
