import { Injectable } from '@nestjs/common';
import { type AuthInfo, RequireScopes } from 'nestjs-mcp-oauth';
import { z } from 'zod';
import { Tool } from '../mcp/tool.decorator.js';
import { type Todo, TodoStore } from './todo.store.js';

const todoSchema = z.object({ id: z.string(), title: z.string(), completed: z.boolean() });
const idInput = z.object({ id: z.string().min(1).describe('The todo id') });

/**
 * The sample's MCP tools: a todo list per user (keyed by `AuthInfo.principal`, so two issuers' `alice` never share
 * a list), scopes per tool (`todo:write` implies `todo:read`).
 */
@Injectable()
export class TodoTools {
  constructor(private readonly store: TodoStore) {}

  @Tool({
    name: 'whoami',
    description: 'Who the access token belongs to: subject, client id and granted scopes.',
    outputSchema: z.object({ sub: z.string(), clientId: z.string().nullable(), scopes: z.array(z.string()) }),
  })
  whoami(_input: unknown, auth: AuthInfo) {
    return { sub: auth.subject, clientId: auth.clientId ?? null, scopes: [...auth.scopes] };
  }

  @Tool({
    name: 'list_todos',
    description: "List the caller's todos.",
    outputSchema: z.object({ todos: z.array(todoSchema) }),
  })
  @RequireScopes('todo:read')
  listTodos(_input: unknown, auth: AuthInfo): { todos: Todo[] } {
    return { todos: this.store.list(auth.principal) };
  }

  @Tool({
    name: 'create_todo',
    description: 'Create a todo.',
    inputSchema: z.object({ title: z.string().trim().min(1).max(500).describe('What to do') }),
    outputSchema: todoSchema,
  })
  @RequireScopes('todo:write')
  createTodo(input: { title: string }, auth: AuthInfo): Todo {
    return this.store.create(auth.principal, input.title);
  }

  @Tool({
    name: 'complete_todo',
    description: 'Mark a todo as completed.',
    inputSchema: idInput,
    outputSchema: todoSchema,
  })
  @RequireScopes('todo:write')
  completeTodo(input: { id: string }, auth: AuthInfo): Todo {
    return this.store.complete(auth.principal, input.id);
  }

  @Tool({ name: 'delete_todo', description: 'Delete a todo.', inputSchema: idInput, outputSchema: todoSchema })
  @RequireScopes('todo:write')
  deleteTodo(input: { id: string }, auth: AuthInfo): Todo {
    return this.store.delete(auth.principal, input.id);
  }
}
