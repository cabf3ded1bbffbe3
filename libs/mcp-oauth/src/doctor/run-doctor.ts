import { checkAuthorizationServerMetadata } from './checks/authorization-server-metadata.check.js';
import { checkChallenge } from './checks/challenge.check.js';
import { isHttpUrl } from './checks/check-helpers.js';
import { checkCors } from './checks/cors.check.js';
import { checkJwks } from './checks/jwks.check.js';
import { checkPkce } from './checks/pkce.check.js';
import { checkPathMetadata, checkRootMetadata } from './checks/protected-resource-metadata.check.js';
import { checkRegistration } from './checks/registration.check.js';
import { checkResourceMatch } from './checks/resource-match.check.js';
import { checkScopes } from './checks/scopes.check.js';
import { checkTokenAudience } from './checks/token-audience.check.js';
import { checkToolsList } from './checks/tools-list.check.js';
import { type DoctorContext } from './doctor-context.js';
import { DEFAULT_TIMEOUT_MS, DoctorHttp } from './doctor-http.js';
import {
  type CheckOutcome,
  type DoctorCheckId,
  type DoctorCheckResult,
  type DoctorReport,
  fail,
  notChecked,
} from './doctor-report.js';
import { redactToken } from './redact-token.js';

/** Options of {@link runDoctor}. */
export interface RunDoctorOptions {
  /**
   * An access token for the MCP server: adds the `token-audience` and `tools-list` checks. Sent only to the MCP URL,
   * never printed.
   */
  token?: string;
  /** Time allowed for each HTTP exchange, in milliseconds. @default 5000 */
  timeoutMs?: number;
  /** The fetch to use (tests, proxies). @default globalThis.fetch */
  fetch?: typeof fetch;
}

type Check = (context: DoctorContext) => Promise<CheckOutcome>;

const CHECKS: ReadonlyArray<readonly [DoctorCheckId, Check]> = [
  ['challenge', checkChallenge],
  ['prm-path', checkPathMetadata],
  ['prm-root', checkRootMetadata],
  ['resource-match', checkResourceMatch],
  ['authorization-server-metadata', checkAuthorizationServerMetadata],
  ['pkce', checkPkce],
  ['registration', checkRegistration],
  ['jwks', checkJwks],
  ['cors', checkCors],
  ['scopes', checkScopes],
];

const TOKEN_CHECKS: ReadonlyArray<readonly [DoctorCheckId, Check]> = [
  ['token-audience', checkTokenAudience],
  ['tools-list', checkToolsList],
];

/**
 * Checks a running MCP server from outside, the way MCP clients (MCP TypeScript SDK, VS Code, Claude) discover and
 * authorize against it (MCP Authorization; RFC 6750, RFC 9728, RFC 8414, RFC 7591, RFC 7636, RFC 8707): every check
 * of `DOCTOR_CHECK_IDS` in order (then `token-audience` and `tools-list` with a token), each with a message saying
 * what is wrong and how to fix it. A check whose prerequisite failed is reported as failed, naming the check to fix
 * first. Never throws for a server's behaviour; messages never contain the token.
 *
 * @example
 * const report = await runDoctor('http://localhost:3000/mcp', { token });
 * report.checks.every((check) => check.ok);
 */
export async function runDoctor(mcpUrl: string, options: RunDoctorOptions = {}): Promise<DoctorReport> {
  if (!isHttpUrl(mcpUrl)) throw new TypeError('runDoctor: the MCP URL must be an absolute http(s) URL');
  const context: DoctorContext = {
    mcpUrlInput: mcpUrl,
    mcpUrl: new URL(mcpUrl),
    http: new DoctorHttp({ fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }),
    token: options.token,
  };
  const checks = options.token === undefined ? CHECKS : [...CHECKS, ...TOKEN_CHECKS];
  const results: DoctorCheckResult[] = [];
  for (const [id, check] of checks) {
    const outcome = await runOne(id, check, context);
    results.push({ id, ok: outcome.ok, message: redactToken(outcome.message, options.token) });
  }
  return { checks: results };
}

async function runOne(id: DoctorCheckId, check: Check, context: DoctorContext): Promise<CheckOutcome> {
  if (context.unreachable !== undefined && id !== 'challenge') {
    return notChecked(`the MCP server could not be reached; ${context.unreachable}`);
  }
  try {
    return await check(context);
  } catch (error) {
    const message = (error as { message?: unknown } | null)?.message;
    return fail(typeof message === 'string' ? message : `unexpected error: ${String(error)}`);
  }
}
