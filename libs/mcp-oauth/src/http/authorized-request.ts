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

/** Records what the guard authorized on the request object (Express request or Fastify request alike). */
export function markAuthorized(request: McpOAuthRequest, authorized: AuthorizedRequest): void {
  (request as Marked)[AUTHORIZED] = authorized;
}

/**
 * What the guard authorized of this request, or `undefined` when the guard did not run on it (or refused it): the
 * MCP SDK wiring hands the SDK this body, never one read again from the request.
 */
export function authorizedRequestOf(request: McpOAuthRequest): AuthorizedRequest | undefined {
  return (request as Marked)[AUTHORIZED];
}
