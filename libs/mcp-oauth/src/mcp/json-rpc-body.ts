import { InvalidRequestError } from '../errors/failures.js';
import { MAX_BATCH_MESSAGES, MAX_JSON_DEPTH } from './mcp.constants.js';

/** What the guard needs of a parsed JSON-RPC body (MCP Base Protocol: Messages). */
export interface JsonRpcBody {
  /** The tool name of every `tools/call` in the body, in order, repeats included. */
  toolCalls: string[];
  /** `method` of a single (non-batch) message, for the `Mcp-Method` cross-check. */
  singleMethod: unknown;
  /** `params.name` of a single `tools/call`, for the `Mcp-Name` cross-check. */
  singleToolName: string | undefined;
  isBatch: boolean;
}

interface JsonRpcMessage {
  method?: unknown;
  params?: { name?: unknown } | null;
}

function toolNameOf(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { method, params } = message as JsonRpcMessage;
  if (method !== 'tools/call' || typeof params !== 'object' || params === null) return undefined;
  return typeof params.name === 'string' ? params.name : undefined;
}

/**
 * Throws when arrays and objects nest deeper than {@link MAX_JSON_DEPTH}; with `freeze`, freezes every array and
 * object on the way, so nothing between the guard and the MCP server can change what was authorized (one pass,
 * iterative: no recursion on request data).
 */
function assertDepth(body: unknown, freeze: boolean): void {
  const pending: Array<[value: unknown, depth: number]> = [[body, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      throw new InvalidRequestError(
        'json_too_deep',
        `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`,
      );
    }
    for (const child of Object.values(value)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
    if (freeze) Object.freeze(value);
  }
}

/**
 * Reads a parsed JSON-RPC body the way the MCP server will dispatch it: one message or a batch array. Refuses what
 * the MCP server would refuse anyway before anything is verified or logged: a batch of more than
 * {@link MAX_BATCH_MESSAGES} messages, arrays and objects nested deeper than {@link MAX_JSON_DEPTH}. With `freeze`
 * (the MCP endpoint), the body is frozen deeply: what the guard authorizes is what runs.
 */
export function readJsonRpcBody(body: unknown, options: { freeze?: boolean } = {}): JsonRpcBody {
  const isBatch = Array.isArray(body);
  if (isBatch && body.length > MAX_BATCH_MESSAGES) {
    throw new InvalidRequestError(
      'batch_too_large',
      `A JSON-RPC batch may hold at most ${MAX_BATCH_MESSAGES} messages (this one holds ${body.length}).`,
    );
  }
  assertDepth(body, options.freeze === true);
  const toolCalls: string[] = [];
  for (const message of isBatch ? body : [body]) {
    const name = toolNameOf(message);
    if (name !== undefined) toolCalls.push(name);
  }
  const single = !isBatch && typeof body === 'object' && body !== null ? (body as JsonRpcMessage) : undefined;
  return {
    toolCalls,
    singleMethod: single?.method,
    singleToolName: isBatch ? undefined : toolNameOf(body),
    isBatch,
  };
}
