import { parseBearerChallenge } from '../../testing/parse-bearer-challenge.js';
import { type DoctorContext } from '../doctor-context.js';
import { type HttpExchange } from '../doctor-http.js';
import { type CheckOutcome, fail, pass } from '../doctor-report.js';
import {
  DOCTOR_PROTOCOL_VERSION,
  initializedNotification,
  initializeRequest,
  mcpPostHeaders,
  toolsListRequest,
} from '../mcp-json-rpc.js';
import { type JsonRpcAnswer, readJsonRpcAnswer } from '../read-json-rpc-answer.js';
import { describeUnexpectedStatus, quoteForMessage } from './check-helpers.js';

const SESSION_HEADER = 'mcp-session-id';
const MAX_NAMES_SHOWN = 12;

/** The status and what the server said about it: the challenge's error and description, else a JSON body error. */
function describeRefusal(exchange: HttpExchange): string {
  const challenge = parseBearerChallenge(exchange.headers.get('www-authenticate'));
  const parts = [describeUnexpectedStatus(exchange)];
  if (challenge?.error) parts.push(`error="${challenge.error}"`);
  if (challenge?.error_description) parts.push(`error_description=${quoteForMessage(challenge.error_description)}`);
  if (challenge?.scope && challenge.error === 'insufficient_scope') parts.push(`scope="${challenge.scope}"`);
  return parts.join(' ');
}

/** A hint on what to do about a refusal. */
function refusalHint(status: number): string {
  if (status === 401) return '; get a fresh token for this resource (is it expired, or issued for another audience?)';
  if (status === 403) return '; the token lacks a scope (or the Origin is refused): request the scope named above';
  return '';
}

/** POSTs one JSON-RPC message with the token and reads the answer to `id` from JSON or an SSE stream. */
async function post(context: DoctorContext, body: string, id: number | undefined, headers: Record<string, string>) {
  const exchange = await context.http.request(
    context.mcpUrl.href,
    { method: 'POST', headers: { ...headers, authorization: `Bearer ${context.token}` }, body },
    id === undefined ? undefined : (text) => readJsonRpcAnswer('text/event-stream', text, id) !== undefined,
  );
  const answer =
    id === undefined ? undefined : readJsonRpcAnswer(exchange.headers.get('content-type'), exchange.body, id);
  return { exchange, answer };
}

function describeJsonRpcError(answer: JsonRpcAnswer): string {
  return `JSON-RPC error ${String(answer.error?.code)}: ${quoteForMessage(String(answer.error?.message))}`;
}

/**
 * `tools-list` (with `--token`): an authenticated MCP session works end to end (MCP Basic, Lifecycle; Transports,
 * Streamable HTTP): `initialize`, `notifications/initialized`, then `tools/list`, sending back `Mcp-Session-Id` when
 * the server assigns one and the negotiated `MCP-Protocol-Version`, reading JSON or SSE answers. Passes when the
 * server lists its tools; fails with the status and the challenge's error otherwise (RFC 6750 §3.1).
 */
export async function checkToolsList(context: DoctorContext): Promise<CheckOutcome> {
  const initialize = await post(context, initializeRequest(1), 1, mcpPostHeaders());
  if (initialize.exchange.status < 200 || initialize.exchange.status >= 300) {
    return fail(
      `initialize with the token answered ${describeRefusal(initialize.exchange)}${refusalHint(initialize.exchange.status)}`,
    );
  }
  if (!initialize.answer) return fail('initialize with the token answered no JSON-RPC response (JSON or SSE)');
  if (initialize.answer.error)
    return fail(`initialize with the token failed: ${describeJsonRpcError(initialize.answer)}`);
  const result = initialize.answer.result as { protocolVersion?: unknown } | undefined;
  const protocolVersion =
    typeof result?.protocolVersion === 'string' ? result.protocolVersion : DOCTOR_PROTOCOL_VERSION;
  const sessionId = initialize.exchange.headers.get(SESSION_HEADER);
  const headers = { ...mcpPostHeaders(protocolVersion), ...(sessionId ? { [SESSION_HEADER]: sessionId } : {}) };

  try {
    const initialized = await post(context, initializedNotification(), undefined, headers);
    if (initialized.exchange.status === 401 || initialized.exchange.status === 403) {
      return fail(`notifications/initialized answered ${describeRefusal(initialized.exchange)}`);
    }
    const list = await post(context, toolsListRequest(2), 2, headers);
    if (list.exchange.status < 200 || list.exchange.status >= 300) {
      return fail(
        `tools/list with the token answered ${describeRefusal(list.exchange)}${refusalHint(list.exchange.status)}`,
      );
    }
    if (!list.answer) return fail('tools/list answered no JSON-RPC response (JSON or SSE)');
    if (list.answer.error) return fail(`tools/list failed: ${describeJsonRpcError(list.answer)}`);
    const tools = (list.answer.result as { tools?: unknown } | undefined)?.tools;
    if (!Array.isArray(tools)) return fail('tools/list answered a result without a tools array');
    const names = tools.slice(0, MAX_NAMES_SHOWN).map((tool: { name?: unknown }) => String(tool?.name));
    if (tools.length > MAX_NAMES_SHOWN) names.push('...');
    const session = sessionId ? ', session id honored' : '';
    return pass(
      `initialize and tools/list succeeded with the token${session}: ${tools.length} tool${tools.length === 1 ? '' : 's'}${names.length > 0 ? ` (${names.join(', ')})` : ' (none: does the token carry the scopes you expected?)'}`,
    );
  } finally {
    if (sessionId) {
      // Ends the session the doctor opened (MCP Streamable HTTP, Session Management); the answer does not matter.
      await context.http
        .request(context.mcpUrl.href, {
          method: 'DELETE',
          headers: { ...headers, authorization: `Bearer ${context.token}` },
        })
        .catch(() => undefined);
    }
  }
}
