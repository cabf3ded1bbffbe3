import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { MCP_OAUTH_OPTIONS, type ResolvedMcpOAuthOptions } from '../config/resolved-options.js';
import { ScopeHierarchy } from '../scopes/scope-hierarchy.js';
import { REQUIRED_SCOPES_METADATA } from '../scopes/scopes.constants.js';
import { MCP_TOOL_METADATA } from '../mcp/mcp.constants.js';
import {
  MCP_NEST_SCOPES,
  MCP_NEST_SCOPES_MATCH,
  MCP_NEST_TOOL,
  type McpNestToolOptions,
} from '../mcp-nest/mcp-nest.metadata.js';
import { isScopeToken } from '../scopes/scope-token.js';
import { ToolScopeRegistry } from '../mcp/tool-scope.registry.js';

/**
 * Reads `@RequireScopes` and `@McpTool` (and @rekog/mcp-nest's `@Tool` / `@ToolScopes`, by their metadata keys) from
 * every provider and controller once at boot: fills the {@link ToolScopeRegistry} (tool -> scopes, the `toolScopes`
 * option included) and remembers every scope named, so `scopes_supported` (RFC 9728 §2) is derived instead of
 * configured twice.
 */
@Injectable()
export class ToolScopeExplorer implements OnModuleInit {
  private readonly declaredScopes = new Set<string>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly registry: ToolScopeRegistry,
    @Inject(MCP_OAUTH_OPTIONS) private readonly options: ResolvedMcpOAuthOptions,
  ) {}

  onModuleInit(): void {
    for (const [tool, scopes] of Object.entries(this.options.toolScopes)) this.registry.register(tool, scopes);
    const seen = new Set<object>();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
      seen.add(instance);
      this.exploreInstance(instance);
    }
  }

  /** Every scope named by a decorator, the `toolScopes` option or the scope hierarchy. */
  declared(): string[] {
    const hierarchyScopes = new ScopeHierarchy(this.options.scopeHierarchy).allScopes();
    return [...new Set([...this.declaredScopes, ...this.registry.allScopes(), ...hierarchyScopes])];
  }

  private exploreInstance(instance: object): void {
    const prototype = Object.getPrototypeOf(instance) as object;
    const classScopes = this.scopesOf(instance.constructor);
    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      const method = (prototype as Record<string, unknown>)[methodName] as () => unknown;
      const methodScopes = this.scopesOf(method);
      const toolName = this.reflector.get<string | undefined>(MCP_TOOL_METADATA, method);
      if (toolName !== undefined) this.registry.register(toolName, [...classScopes, ...methodScopes]);
      const mcpNestTool = this.reflector.get<McpNestToolOptions | undefined>(MCP_NEST_TOOL, method);
      if (mcpNestTool !== undefined) {
        const name = typeof mcpNestTool.name === 'string' ? mcpNestTool.name : methodName;
        this.registry.register(name, [...classScopes, ...methodScopes, ...this.mcpNestScopesOf(method)]);
        this.registry.markServedByMcpNest();
      }
    }
  }

  /**
   * mcp-nest's own `@ToolScopes(scopes)` (all of them required, its default) are enforced by the guard like
   * `@RequireScopes`, as a 403 step-up before mcp-nest dispatches. `@ToolScopes(scopes, { match: 'any' })` cannot
   * be one challenge listing every scope needed: it is left to mcp-nest (it is still advertised).
   */
  private mcpNestScopesOf(method: () => unknown): string[] {
    const scopes = this.reflector.get<unknown>(MCP_NEST_SCOPES, method);
    if (!Array.isArray(scopes)) return [];
    const valid = scopes.filter((scope): scope is string => isScopeToken(scope));
    valid.forEach((scope) => this.declaredScopes.add(scope));
    return this.reflector.get<unknown>(MCP_NEST_SCOPES_MATCH, method) === 'any' ? [] : valid;
  }

  private scopesOf(target: object): string[] {
    const scopes = this.reflector.get<string[] | undefined>(REQUIRED_SCOPES_METADATA, target as () => unknown) ?? [];
    scopes.forEach((scope) => this.declaredScopes.add(scope));
    return scopes;
  }
}
