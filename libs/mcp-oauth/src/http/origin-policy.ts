import { isLoopbackHost } from './loopback.js';

/**
 * Which browser origins may call the MCP endpoint (MCP Streamable HTTP, Security Warning: servers MUST validate
 * `Origin` to prevent DNS rebinding): the resource's own origin, the configured ones (`'*'` for any), and loopback
 * origins when allowed (a local MCP Inspector).
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;
  private readonly allowAny: boolean;

  constructor(
    resourceOrigin: string,
    allowedOrigins: readonly string[],
    private readonly allowLoopbackOrigins: boolean,
  ) {
    this.allowed = new Set([resourceOrigin, ...allowedOrigins]);
    this.allowAny = allowedOrigins.includes('*');
  }

  /** True when a request with this `Origin` header may call the MCP endpoint. */
  allows(origin: string): boolean {
    if (this.allowAny || this.allowed.has(origin)) return true;
    if (!this.allowLoopbackOrigins || !URL.canParse(origin)) return false;
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  }
}
