import type { AuthInfo } from '../auth/auth-info.js';
import type { McpOAuthRequest } from './http-request.js';

/** What the guard authorized of one request: the caller, and the JSON body exactly as it read it. */
export interface AuthorizedRequest {
  readonly auth: AuthInfo;
  /** The parsed body the guard read (frozen on the MCP endpoint), or `undefined` when the request had none. */
  readonly body: unknown;
}

const AUTHORIZED = Symbol('nestjs-mcp-oauth:AuthorizedRequest');

type Marked = McpOAuthRequest & { [AUTHORIZED]?: AuthorizedRequest };

/**
 * Attaches the verified caller to the request: `request.auth` (what `@McpAuth()` reads), what the guard authorized
 * (its body, for the MCP SDK wiring) and, when given, a `user` (what @rekog/mcp-nest reads). On Fastify the same goes
 * on the Node request too, where the MCP SDK's `toNodeHandler` and mcp-nest read it.
 */
export function attachCaller(request: McpOAuthRequest, auth: AuthInfo, user?: object): void {
  const authorized: AuthorizedRequest = Object.freeze({ auth, body: request.body });
  for (const target of request.raw ? [request, request.raw as McpOAuthRequest] : [request]) {
    target.auth = auth;
    (target as Marked)[AUTHORIZED] = authorized;
    if (user !== undefined) (target as { user?: object }).user = user;
  }
}

/**
 * What the guard authorized of this request, or `undefined` when the guard did not run on it (or refused it): the
 * MCP SDK wiring hands the SDK this body, never one read again from the request.
 */
export function authorizedRequestOf(request: McpOAuthRequest): AuthorizedRequest | undefined {
  return (request as Marked)[AUTHORIZED];
}
