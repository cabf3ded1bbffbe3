/** The answer to one JSON-RPC request: a result or an error. */
export interface JsonRpcAnswer {
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
}

function isAnswerTo(value: unknown, id: number): value is JsonRpcAnswer {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  return message.id === id && ('result' in message || 'error' in message);
}

function findAnswer(value: unknown, id: number): JsonRpcAnswer | undefined {
  if (Array.isArray(value)) return value.find((item: unknown) => isAnswerTo(item, id)) as JsonRpcAnswer | undefined;
  return isAnswerTo(value, id) ? value : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `data` of each complete event of a `text/event-stream` body (HTML Living Standard, Server-sent events). */
function sseEventData(body: string): string[] {
  const events = body.replace(/\r\n?/g, '\n').split('\n\n');
  events.pop(); // the last piece is not terminated by a blank line: incomplete
  return events.flatMap((event) => {
    const data = event
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
    return data.length > 0 ? [data.join('\n')] : [];
  });
}

/**
 * Finds the answer to the JSON-RPC request `id` in a Streamable HTTP response body, which is either one JSON
 * message (or batch) or an SSE stream whose events carry messages (MCP Basic, Transports, Streamable HTTP, Sending
 * Messages to the Server). Returns `undefined` while it is not there (yet).
 *
 * @example
 * readJsonRpcAnswer('text/event-stream', 'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n', 1);
 * // { jsonrpc: '2.0', id: 1, result: {} }
 */
export function readJsonRpcAnswer(contentType: string | null, body: string, id: number): JsonRpcAnswer | undefined {
  if (/^\s*text\/event-stream/i.test(contentType ?? '')) {
    for (const data of sseEventData(body)) {
      const answer = findAnswer(parseJson(data), id);
      if (answer) return answer;
    }
    return undefined;
  }
  return findAnswer(parseJson(body), id);
}
