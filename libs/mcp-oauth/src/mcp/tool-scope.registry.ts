import { Injectable } from '@nestjs/common';

/**
 * The scopes each MCP tool needs, by tool name. Filled at boot from `@McpTool` + `@RequireScopes` handlers and
 * from the `toolScopes` option; apps registering tools another way can call {@link ToolScopeRegistry.register}.
 */
@Injectable()
export class ToolScopeRegistry {
  private readonly scopesByTool = new Map<string, string[]>();

  /** Adds scopes to a tool (union with what it already needs). */
  register(toolName: string, scopes: readonly string[]): void {
    const current = this.scopesByTool.get(toolName) ?? [];
    for (const scope of scopes) if (!current.includes(scope)) current.push(scope);
    this.scopesByTool.set(toolName, current);
  }

  /** Scopes the tool needs (empty when the tool is unknown or needs none beyond a valid token). */
  scopesFor(toolName: string): readonly string[] {
    return this.scopesByTool.get(toolName) ?? [];
  }

  /** Every scope some tool needs. */
  allScopes(): string[] {
    return [...new Set([...this.scopesByTool.values()].flat())];
  }

  /** Tool names known to the registry. */
  toolNames(): string[] {
    return [...this.scopesByTool.keys()];
  }
}
