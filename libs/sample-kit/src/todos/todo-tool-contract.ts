import type { ZodObject } from 'zod';
import { z } from 'zod';

/*
 * What the sample MCP servers' tools look like from outside, whichever MCP server library serves them: their
 * descriptions, the JSON their arguments and results have (results are `structuredContent`, mirrored as JSON text).
 */

/** A todo as tools return it: `{ id, title, completed }`. */
const todoSchema = z.object({ id: z.string(), title: z.string(), completed: z.boolean() });

/** The result of `whoami`: who the access token belongs to. */
export const whoamiSchema = z.object({ sub: z.string(), clientId: z.string().nullable(), scopes: z.array(z.string()) });

/** The arguments of a tool that takes none. */
export const noArguments = z.object({});

/** The arguments of `complete_todo` and `delete_todo`. */
const todoIdArguments = z.object({ id: z.string().min(1).describe('The todo id') });

/** One tool as MCP lists it (`tools/list`): what it does, its arguments (none when absent) and its result. */
export interface TodoToolContract {
  description: string;
  inputSchema?: ZodObject;
  outputSchema: ZodObject;
}

/**
 * The sample's tools by name, in MCP's own terms (the MCP SDK's `registerTool` takes an entry as it is): `whoami`
 * (any valid token), `list_todos` (`todo:read`), `create_todo` / `complete_todo` / `delete_todo` (`todo:write`); the
 * scopes are declared where each app registers the tool.
 */
export const TODO_TOOLS = {
  whoami: {
    description: 'Who the access token belongs to: subject, client id and granted scopes.',
    outputSchema: whoamiSchema,
  },
  list_todos: { description: "List the caller's todos.", outputSchema: z.object({ todos: z.array(todoSchema) }) },
  create_todo: {
    description: 'Create a todo.',
    inputSchema: z.object({ title: z.string().trim().min(1).max(500).describe('What to do') }),
    outputSchema: todoSchema,
  },
  complete_todo: { description: 'Mark a todo as completed.', inputSchema: todoIdArguments, outputSchema: todoSchema },
  delete_todo: { description: 'Delete a todo.', inputSchema: todoIdArguments, outputSchema: todoSchema },
} as const satisfies Record<string, TodoToolContract>;

/** The name of one of the sample's tools. */
export type TodoToolName = keyof typeof TODO_TOOLS;
