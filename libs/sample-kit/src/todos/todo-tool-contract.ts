import { z } from 'zod';

/*
 * What the sample MCP servers' tools look like from outside, whichever MCP server library serves them: their
 * descriptions, the JSON their arguments and results have (results are `structuredContent`, mirrored as JSON text).
 */

/** A todo as tools return it: `{ id, title, completed }`. */
export const todoSchema = z.object({ id: z.string(), title: z.string(), completed: z.boolean() });

/** The result of `list_todos`: `{ todos }`. */
export const todoListSchema = z.object({ todos: z.array(todoSchema) });

/** The result of `whoami`: who the access token belongs to. */
export const whoamiSchema = z.object({ sub: z.string(), clientId: z.string().nullable(), scopes: z.array(z.string()) });

/** The arguments of a tool that takes none. */
export const noArguments = z.object({});

/** The arguments of `create_todo`. */
export const createTodoArguments = z.object({ title: z.string().trim().min(1).max(500).describe('What to do') });

/** The arguments of `complete_todo` and `delete_todo`. */
export const todoIdArguments = z.object({ id: z.string().min(1).describe('The todo id') });

/** Each tool's description, by tool name. */
export const TODO_TOOL_DESCRIPTIONS = {
  whoami: 'Who the access token belongs to: subject, client id and granted scopes.',
  list_todos: "List the caller's todos.",
  create_todo: 'Create a todo.',
  complete_todo: 'Mark a todo as completed.',
  delete_todo: 'Delete a todo.',
} as const;
