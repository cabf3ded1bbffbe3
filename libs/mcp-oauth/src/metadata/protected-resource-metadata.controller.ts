import { Controller, Get, Header, HttpCode, Inject, NotFoundException, Options, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MCP_OAUTH_OPTIONS, type ResolvedMcpOAuthOptions } from '../config/resolved-options.js';
import { ToolScopeExplorer } from '../discovery/tool-scope.explorer.js';
import { Public } from '../scopes/public.decorator.js';
import { buildProtectedResourceMetadata, type ProtectedResourceMetadata } from './protected-resource-metadata.js';
import { PROTECTED_RESOURCE_WELL_KNOWN, protectedResourceMetadataUrl } from './protected-resource-metadata-url.js';

/** CORS for a public, credential-less document: any origin may read it (MCP clients in browsers fetch it). */
function setOpenCors(response: Response): void {
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
  response.setHeader('Access-Control-Allow-Headers', 'mcp-protocol-version, content-type');
  response.setHeader('Access-Control-Max-Age', '86400');
}

/**
 * Serves the RFC 9728 Protected Resource Metadata at both URLs MCP clients try (MCP Authorization, Protected
 * Resource Metadata Discovery Requirements): the path-inserted one derived from the configured resource
 * (`/.well-known/oauth-protected-resource/mcp` for `https://h/mcp`) and the root one. Public, CORS-open, cacheable.
 */
@Public()
@Controller(PROTECTED_RESOURCE_WELL_KNOWN.slice(1))
export class ProtectedResourceMetadataController {
  private document: ProtectedResourceMetadata | undefined;
  private readonly metadataUrl: string;
  private readonly insertedPath: string;

  constructor(
    @Inject(MCP_OAUTH_OPTIONS) private readonly options: ResolvedMcpOAuthOptions,
    private readonly scopes: ToolScopeExplorer,
  ) {
    this.metadataUrl = protectedResourceMetadataUrl(options.resource);
    this.insertedPath = new URL(this.metadataUrl).pathname;
  }

  /** Root URL: `/.well-known/oauth-protected-resource`. */
  @Get()
  @Header('Cache-Control', 'public, max-age=3600')
  root(@Res({ passthrough: true }) response: Response): ProtectedResourceMetadata {
    setOpenCors(response);
    return this.metadata();
  }

  /** Path-inserted URL: `/.well-known/oauth-protected-resource/<resource path>`; anything else is 404. */
  @Get('*path')
  @Header('Cache-Control', 'public, max-age=3600')
  pathInserted(@Req() request: Request, @Res({ passthrough: true }) response: Response): ProtectedResourceMetadata {
    if (request.path.replace(/\/$/, '') !== this.insertedPath) {
      throw new NotFoundException(`No protected resource metadata here; see ${this.metadataUrl}.`);
    }
    setOpenCors(response);
    return this.metadata();
  }

  /** CORS preflight for both URLs. */
  @Options(['', '*path'])
  @HttpCode(204)
  preflight(@Res({ passthrough: true }) response: Response): void {
    setOpenCors(response);
  }

  private metadata(): ProtectedResourceMetadata {
    this.document ??= buildProtectedResourceMetadata(this.options, this.scopes.declared());
    return this.document;
  }
}
