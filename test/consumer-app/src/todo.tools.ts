import { Injectable } from '@nestjs/common';
import { type AuthInfo, McpTool, RequireScopes } from 'nestjs-mcp-oauth';

/** The app's MCP tools: the guard enforces each one's scopes on `tools/call` before the handler runs. */
@Injectable()
export class TodoTools {
  private readonly todos: string[] = [];

  /** Any valid token. */
  @McpTool('whoami')
  whoami(auth: AuthInfo): Record<string, unknown> {
    return { sub: auth.subject, scopes: auth.scopes };
  }

  /** Needs `todo:write`. */
  @McpTool('create_todo')
  @RequireScopes('todo:write')
  createTodo(title: string): Record<string, unknown> {
    this.todos.push(title);
    return { created: title, count: this.todos.length };
  }
}
