import { UseFilters } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { type Todo, TodoStore, type WhoAmI, whoamiOf } from '@nestjs-mcp-oauth/sample-kit';
import { McpController, Tool } from '@rekog/mcp-nest';
import { type AuthInfo, RequireScopes } from 'nestjs-mcp-oauth';
import { Caller } from './caller.decorator.js';
import { TodoNotFoundFilter } from './todo-not-found.filter.js';
import { todoTool } from './todo-tool.js';

/**
 * The sample's MCP tools, written the mcp-nest way: `@Tool()` declares each tool ({@link todoTool}: its name,
 * description, and zod arguments and result, which mcp-nest validates), `@RequireScopes()` what it needs
 * (nestjs-mcp-oauth enforces it as an HTTP 403 step-up before mcp-nest dispatches, `todo:write` implying
 * `todo:read`). One todo list per user, keyed by `AuthInfo.principal`; the caller comes from mcp-nest's context
 * ({@link Caller}).
 */
@McpController()
@UseFilters(TodoNotFoundFilter)
export class TodoTools {
  constructor(private readonly store: TodoStore) {}

  @Tool(todoTool('whoami'))
  whoami(@Payload() _arguments: object, @Caller() caller: AuthInfo): WhoAmI {
    return whoamiOf(caller);
  }

  @Tool(todoTool('list_todos'))
  @RequireScopes('todo:read')
  listTodos(@Payload() _arguments: object, @Caller() caller: AuthInfo): { todos: Todo[] } {
    return { todos: this.store.list(caller.principal) };
  }

  @Tool(todoTool('create_todo'))
  @RequireScopes('todo:write')
  createTodo(@Payload() { title }: { title: string }, @Caller() caller: AuthInfo): Todo {
    return this.store.create(caller.principal, title);
  }

  @Tool(todoTool('complete_todo'))
  @RequireScopes('todo:write')
  completeTodo(@Payload() { id }: { id: string }, @Caller() caller: AuthInfo): Todo {
    return this.store.complete(caller.principal, id);
  }

  @Tool(todoTool('delete_todo'))
  @RequireScopes('todo:write')
  deleteTodo(@Payload() { id }: { id: string }, @Caller() caller: AuthInfo): Todo {
    return this.store.delete(caller.principal, id);
  }
}
