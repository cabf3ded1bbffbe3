import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackHost } from '../config/loopback.js';
import type { ResolvedMcpOAuthOptions } from '../config/mcp-oauth.options.js';
import { MCP_OAUTH_OPTIONS } from '../mcp-oauth.constants.js';

/** Request headers browsers may send to the MCP endpoint (`*` would not cover `Authorization`, Fetch §CORS). */
export const MCP_ALLOWED_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'Mcp-Protocol-Version',
  'Mcp-Session-Id',
  'Mcp-Method',
  'Mcp-Name',
  'Last-Event-ID',
].join(', ');
/** Response headers browsers may read: the challenge, and the MCP session/protocol headers. */
export const MCP_EXPOSED_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version, Retry-After, X-Request-Id';

/**
 * CORS and `Origin` validation for the MCP endpoint (MCP Streamable HTTP, Security Warning: servers MUST validate
 * `Origin` to prevent DNS rebinding). A present `Origin` that is not allowed gets 403; allowed origins are the
 * resource's own, `allowedOrigins`, and loopback origins when `allowLoopbackOrigins` is set. Preflights are answered
 * here with 204 (never challenged); `WWW-Authenticate` is exposed on every response so browser clients can read it.
 */
@Injectable()
export class McpCorsMiddleware implements NestMiddleware {
  private readonly allowed: Set<string>;
  private readonly allowAny: boolean;
  private readonly mcpPath: string;

  constructor(@Inject(MCP_OAUTH_OPTIONS) private readonly options: ResolvedMcpOAuthOptions) {
    this.allowed = new Set([options.resourceOrigin, ...options.allowedOrigins]);
    this.allowAny = options.allowedOrigins.includes('*');
    this.mcpPath = normalizePath(options.mcpPath);
  }

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    // Compared as Express routes (case-insensitive, trailing slash ignored), so /MCP cannot skip the Origin check.
    if (normalizePath((request.url ?? '/').split('?')[0]) !== this.mcpPath) return next();
    const origin = request.headers.origin;
    response.setHeader('Access-Control-Expose-Headers', MCP_EXPOSED_HEADERS);
    response.setHeader('Vary', 'Origin');
    if (origin !== undefined) {
      if (!this.isAllowedOrigin(origin)) {
        response.statusCode = 403;
        response.setHeader('Content-Type', 'application/json');
        response.end(
          JSON.stringify({
            error: 'forbidden_origin',
            error_description: 'This Origin may not call the MCP endpoint.',
          }),
        );
        return;
      }
      response.setHeader('Access-Control-Allow-Origin', origin);
    }
    if (request.method === 'OPTIONS') {
      response.statusCode = 204;
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', MCP_ALLOWED_REQUEST_HEADERS);
      response.setHeader('Access-Control-Max-Age', '600');
      response.end();
      return;
    }
    next();
  }

  /** True when the origin may call the MCP endpoint. */
  isAllowedOrigin(origin: string): boolean {
    if (this.allowAny || this.allowed.has(origin)) return true;
    if (!this.options.allowLoopbackOrigins) return false;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
    } catch {
      return false;
    }
  }
}

function normalizePath(path: string): string {
  return path.replace(/\/+$/, '').toLowerCase() || '/';
}
