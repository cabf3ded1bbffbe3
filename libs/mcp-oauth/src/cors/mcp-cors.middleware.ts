import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MCP_OAUTH_OPTIONS, type ResolvedMcpOAuthOptions } from '../config/resolved-options.js';
import { ForbiddenOriginError } from '../errors/failures.js';
import { failureResponse } from '../errors/failure-response.js';
import { OriginPolicy } from '../http/origin-policy.js';
import { normalizeRoutePath, pathOfTarget } from '../http/request-path.js';
import { protectedResourceMetadataUrl } from '../metadata/protected-resource-metadata-url.js';

/** Request headers browsers may send to the MCP endpoint (`*` would not cover `Authorization`, Fetch §CORS). */
const ALLOWED_REQUEST_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'Mcp-Protocol-Version',
  'Mcp-Session-Id',
  'Mcp-Method',
  'Mcp-Name',
  'Last-Event-ID',
].join(', ');
/** Response headers browsers may read: the challenge, the MCP session/protocol headers, the correlation id. */
const EXPOSED_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version, Retry-After, X-Request-Id';

/**
 * CORS for the MCP endpoint: preflights are answered here with 204 (never challenged: no guard runs for them), a
 * preflight from an Origin that may not call the endpoint gets 403, and `WWW-Authenticate` is exposed on every
 * response so browser clients can read the challenge. Whether a request itself may run is decided by the guard, on
 * the route the router matched (MCP Streamable HTTP: validate `Origin`).
 */
@Injectable()
export class McpCorsMiddleware implements NestMiddleware {
  private readonly mcpPath: string;
  private readonly origins: OriginPolicy;
  private readonly metadataUrl: string;

  constructor(@Inject(MCP_OAUTH_OPTIONS) options: ResolvedMcpOAuthOptions) {
    this.mcpPath = normalizeRoutePath(options.mcpPath);
    this.origins = new OriginPolicy(options.resourceOrigin, options.allowedOrigins, options.allowLoopbackOrigins);
    this.metadataUrl = protectedResourceMetadataUrl(options.resource);
  }

  use(request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, next: () => void): void {
    const target = request.originalUrl ?? request.url ?? '/';
    if (normalizeRoutePath(pathOfTarget(target)) !== this.mcpPath) return next();
    const origin = request.headers.origin;
    const allowed = origin === undefined || this.origins.allows(origin);
    response.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    response.setHeader('Vary', 'Origin');
    if (origin !== undefined && allowed) response.setHeader('Access-Control-Allow-Origin', origin);
    if (request.method !== 'OPTIONS') return next();
    if (!allowed) {
      const refusal = failureResponse(new ForbiddenOriginError(), this.metadataUrl);
      response.writeHead(refusal.status, { ...refusal.headers, 'Content-Type': 'application/json' });
      response.end(JSON.stringify(refusal.body));
      return;
    }
    response.statusCode = 204;
    response.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS);
    response.setHeader('Access-Control-Max-Age', '600');
    response.end();
  }
}
