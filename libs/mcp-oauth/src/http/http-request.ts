import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '../auth/auth-info.js';

/**
 * An HTTP request as the guard meets it: Express's `Request` (a Node `IncomingMessage`) or Fastify's
 * `FastifyRequest` (which wraps one in `raw`). Only what the library reads is listed.
 */
export interface McpOAuthRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as the framework parsed it. */
  body?: unknown;
  /** Client address, after the framework's `trust proxy` handling. */
  ip?: string;
  /** Express: the header lines as received (Node folds duplicates in `headers`). */
  rawHeaders?: string[];
  /** Express: the request target as received (before mounts rewrote `url`). */
  originalUrl?: string;
  /** Fastify: the Node request. */
  raw?: IncomingMessage;
  /** Express: the route that matched. */
  route?: { path?: unknown };
  /** Fastify: the route that matched. */
  routeOptions?: { url?: string };
  /** The verified caller, attached by the guard. */
  auth?: AuthInfo;
  /** The request's server-generated correlation id, attached by the guard (also the `X-Request-Id` response header). */
  correlationId?: string;
}

/** The response as Express (`Response`, a Node `ServerResponse`) or Fastify (`FastifyReply`, wrapping one in `raw`). */
export type McpOAuthResponse = ServerResponse | { raw: ServerResponse };

/** The header lines as received, duplicates included (Express and Fastify). */
export function rawHeadersOf(request: McpOAuthRequest): readonly string[] {
  return request.rawHeaders ?? request.raw?.rawHeaders ?? [];
}

/** The request target as the client sent it, e.g. `/mcp?x=1` or an absolute-form `http://host/mcp` (RFC 9112 §3.2). */
export function requestTargetOf(request: McpOAuthRequest): string {
  return request.raw?.url ?? request.originalUrl ?? request.url;
}

/** The path pattern of the route the framework matched (`/mcp`), when it says. */
export function matchedRoutePathOf(request: McpOAuthRequest): string | undefined {
  const expressPath = request.route?.path;
  if (typeof expressPath === 'string') return expressPath;
  return request.routeOptions?.url;
}

/** The Node response under an Express or Fastify response object. */
export function nodeResponseOf(response: McpOAuthResponse): ServerResponse {
  return 'raw' in response && typeof response.raw === 'object' && response.raw !== null
    ? response.raw
    : (response as ServerResponse);
}
