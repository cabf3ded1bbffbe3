import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MCP_OAUTH_OPTIONS, type ResolvedMcpOAuthOptions } from '../config/resolved-options.js';
import { ToolScopeExplorer } from '../discovery/tool-scope.explorer.js';
import { buildProtectedResourceMetadata, type ProtectedResourceMetadata } from './protected-resource-metadata.js';
import { PROTECTED_RESOURCE_WELL_KNOWN, protectedResourceMetadataUrl } from './protected-resource-metadata-url.js';

/** CORS of a public, credential-less document: any origin may read it (MCP clients in browsers fetch it). */
const OPEN_CORS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'mcp-protocol-version, content-type',
  'Access-Control-Max-Age': '86400',
};

/**
 * Serves the RFC 9728 Protected Resource Metadata at both URLs MCP clients try (MCP Authorization, Protected
 * Resource Metadata Discovery Requirements): the path-inserted one derived from the configured resource
 * (`/.well-known/oauth-protected-resource/mcp` for `https://h/mcp`) and the root one. Public, CORS-open, cacheable.
 *
 * The two exact paths are registered on the HTTP adapter (Express or Fastify alike: no wildcard route, whose syntax
 * the two routers do not share) at the server's root, whatever the app's global prefix: RFC 9728 §3 places them
 * there. GET (and HEAD) answer the document, OPTIONS answers a CORS preflight with 204.
 */
@Injectable()
export class ProtectedResourceMetadataRoutes implements OnModuleInit {
  private document: ProtectedResourceMetadata | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(MCP_OAUTH_OPTIONS) private readonly options: ResolvedMcpOAuthOptions,
    private readonly scopes: ToolScopeExplorer,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return; // an application context without HTTP (e.g. a script): nothing to serve
    const inserted = new URL(protectedResourceMetadataUrl(this.options.resource)).pathname;
    for (const path of new Set([PROTECTED_RESOURCE_WELL_KNOWN, inserted])) {
      adapter.get(path, (_request: unknown, response: unknown) => {
        for (const [name, value] of Object.entries(OPEN_CORS)) adapter.setHeader(response, name, value);
        adapter.setHeader(response, 'Cache-Control', 'public, max-age=3600');
        adapter.reply(response, this.metadata(), 200);
      });
      adapter.options(path, (_request: unknown, response: unknown) => {
        for (const [name, value] of Object.entries(OPEN_CORS)) adapter.setHeader(response, name, value);
        adapter.reply(response, undefined, 204);
      });
    }
  }

  /** The document, built once the tools and their scopes are known (after every module initialised). */
  private metadata(): ProtectedResourceMetadata {
    this.document ??= buildProtectedResourceMetadata(this.options, this.scopes.declared());
    return this.document;
  }
}
