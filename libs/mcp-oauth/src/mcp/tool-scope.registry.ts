import { Injectable } from '@nestjs/common';

/**
 * The scopes each MCP tool needs, by tool name. Filled at boot from `@McpTool` + `@RequireScopes` handlers, from
 * mcp-nest's `@Tool` handlers, and from the `toolScopes` option; apps registering tools another way call
 * {@link ToolScopeRegistry.register} (with `[]` for a tool any valid token may call).
 *
 * @example
 * constructor(registry: ToolScopeRegistry) { registry.register('export_report', ['reports:read']); }
 */
@Injectable()
export class ToolScopeRegistry {
  private readonly scopesByTool = new Map<string, string[]>();
  private mcpNest = false;

  /** Declares a tool and adds scopes it needs (union with what it already needs). */
  register(toolName: string, scopes: readonly string[]): void {
    const current = this.scopesByTool.get(toolName) ?? [];
    for (const scope of scopes) if (!current.includes(scope)) current.push(scope);
    this.scopesByTool.set(toolName, current);
  }

  /** True when the tool was declared (even with no scopes). */
  knows(toolName: string): boolean {
    return this.scopesByTool.has(toolName);
  }

  /** Scopes the tool needs (empty when it needs none beyond a valid token, or is unknown). */
  scopesFor(toolName: string): readonly string[] {
    return this.scopesByTool.get(toolName) ?? [];
  }

  /** Every scope some tool needs. */
  allScopes(): string[] {
    return [...new Set([...this.scopesByTool.values()].flat())];
  }

  /** Marks that some tools are served by @rekog/mcp-nest (the guard then gives it the caller as `request.user`). */
  markServedByMcpNest(): void {
    this.mcpNest = true;
  }

  /** True when @rekog/mcp-nest serves some of the tools. */
  get servedByMcpNest(): boolean {
    return this.mcpNest;
  }

  /** Tool names known to the registry. */
  toolNames(): string[] {
    return [...this.scopesByTool.keys()];
  }
}
