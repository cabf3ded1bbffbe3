import { Injectable } from '@nestjs/common';
import { type Todo, TodoStore, type WhoAmI, whoamiOf } from '@nestjs-mcp-oauth/sample-kit';
import { type AuthInfo, McpTool, RequireScopes } from 'nestjs-mcp-oauth';

/**
 * The sample's MCP tools: a todo list per user (keyed by `AuthInfo.principal`, so two issuers' `alice` never share
 * a list), scopes per tool (`todo:write` implies `todo:read`). `@McpTool` + `@RequireScopes` tell the guard what
 * each tool needs; {@link TodoServerFactory} registers them on the MCP SDK's server.
 */
@Injectable()
export class TodoTools {
  constructor(private readonly store: TodoStore) {}

  @McpTool('whoami')
  whoami(caller: AuthInfo): WhoAmI {
    return whoamiOf(caller);
  }

  @McpTool('list_todos')
  @RequireScopes('todo:read')
  listTodos(caller: AuthInfo): { todos: Todo[] } {
    return { todos: this.store.list(caller.principal) };
  }

  @McpTool('create_todo')
  @RequireScopes('todo:write')
  createTodo(caller: AuthInfo, input: { title: string }): Todo {
    return this.store.create(caller.principal, input.title);
  }

  @McpTool('complete_todo')
  @RequireScopes('todo:write')
  completeTodo(caller: AuthInfo, input: { id: string }): Todo {
    return this.store.complete(caller.principal, input.id);
  }

  @McpTool('delete_todo')
  @RequireScopes('todo:write')
  deleteTodo(caller: AuthInfo, input: { id: string }): Todo {
    return this.store.delete(caller.principal, input.id);
  }
}
