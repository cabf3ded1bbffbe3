import { UseFilters } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  createTodoArguments,
  noArguments,
  type Todo,
  TODO_TOOL_DESCRIPTIONS,
  todoIdArguments,
  todoListSchema,
  todoSchema,
  TodoStore,
  type WhoAmI,
  whoamiOf,
  whoamiSchema,
} from '@nestjs-mcp-oauth/sample-kit';
import { McpController, Tool } from '@rekog/mcp-nest';
import { type AuthInfo, RequireScopes } from 'nestjs-mcp-oauth';
import { Caller } from './caller.decorator.js';
import { TodoNotFoundFilter } from './todo-not-found.filter.js';

/**
 * The sample's MCP tools, written the mcp-nest way: `@Tool()` declares each tool (its zod arguments and result, which
 * mcp-nest validates, returning the result as `structuredContent` mirrored as JSON text), `@RequireScopes()` what it
 * needs (nestjs-mcp-oauth enforces it as an HTTP 403 step-up before mcp-nest dispatches, `todo:write` implying
 * `todo:read`). One todo list per user, keyed by `AuthInfo.principal`.
 */
@McpController()
@UseFilters(TodoNotFoundFilter)
export class TodoTools {
  constructor(private readonly store: TodoStore) {}

  @Tool({
    name: 'whoami',
    description: TODO_TOOL_DESCRIPTIONS.whoami,
    parameters: noArguments,
    outputSchema: whoamiSchema,
  })
  whoami(@Payload() _arguments: object, @Caller() caller: AuthInfo): WhoAmI {
    return whoamiOf(caller);
  }

  @Tool({
    name: 'list_todos',
    description: TODO_TOOL_DESCRIPTIONS.list_todos,
    parameters: noArguments,
    outputSchema: todoListSchema,
  })
  @RequireScopes('todo:read')
  listTodos(@Payload() _arguments: object, @Caller() caller: AuthInfo): { todos: Todo[] } {
    return { todos: this.store.list(caller.principal) };
  }

  @Tool({
    name: 'create_todo',
    description: TODO_TOOL_DESCRIPTIONS.create_todo,
    parameters: createTodoArguments,
    outputSchema: todoSchema,
  })
  @RequireScopes('todo:write')
  createTodo(@Payload() { title }: { title: string }, @Caller() caller: AuthInfo): Todo {
    return this.store.create(caller.principal, title);
  }

  @Tool({
    name: 'complete_todo',
    description: TODO_TOOL_DESCRIPTIONS.complete_todo,
    parameters: todoIdArguments,
    outputSchema: todoSchema,
  })
  @RequireScopes('todo:write')
  completeTodo(@Payload() { id }: { id: string }, @Caller() caller: AuthInfo): Todo {
    return this.store.complete(caller.principal, id);
  }

  @Tool({
    name: 'delete_todo',
    description: TODO_TOOL_DESCRIPTIONS.delete_todo,
    parameters: todoIdArguments,
    outputSchema: todoSchema,
  })
  @RequireScopes('todo:write')
  deleteTodo(@Payload() { id }: { id: string }, @Caller() caller: AuthInfo): Todo {
    return this.store.delete(caller.principal, id);
  }
}
