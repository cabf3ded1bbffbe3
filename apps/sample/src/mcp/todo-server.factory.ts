import { Injectable } from '@nestjs/common';
import { type CallToolResult, McpServer } from '@modelcontextprotocol/server';
import type { AuthInfo } from 'nestjs-mcp-oauth';
import type { McpServerFactory } from 'nestjs-mcp-oauth/mcp-sdk';
import { z } from 'zod';
import { TodoTools } from '../todos/todo.tools.js';

const todoSchema = z.object({ id: z.string(), title: z.string(), completed: z.boolean() });
const idInput = z.object({ id: z.string().min(1).describe('The todo id') });

/** Tool results are JSON: `structuredContent`, mirrored as JSON text content (MCP Tools: Structured Content). */
function toResult(value: object): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value) }],
    structuredContent: value as Record<string, unknown>,
  };
}

/**
 * The sample's MCP server, built per request for the verified caller (stateless Streamable HTTP), with its tools
 * registered as the MCP SDK documents. Which scopes each tool needs is declared on {@link TodoTools}.
 */
@Injectable()
export class TodoServerFactory implements McpServerFactory {
  constructor(private readonly tools: TodoTools) {}

  createServer(caller: AuthInfo): McpServer {
    const server = new McpServer({ name: 'nestjs-mcp-oauth-sample', version: '0.1.0' });
    server.registerTool(
      'whoami',
      {
        description: 'Who the access token belongs to: subject, client id and granted scopes.',
        outputSchema: z.object({ sub: z.string(), clientId: z.string().nullable(), scopes: z.array(z.string()) }),
      },
      () => toResult(this.tools.whoami(caller)),
    );
    server.registerTool(
      'list_todos',
      { description: "List the caller's todos.", outputSchema: z.object({ todos: z.array(todoSchema) }) },
      () => toResult(this.tools.listTodos(caller)),
    );
    server.registerTool(
      'create_todo',
      {
        description: 'Create a todo.',
        inputSchema: z.object({ title: z.string().trim().min(1).max(500).describe('What to do') }),
        outputSchema: todoSchema,
      },
      (input) => toResult(this.tools.createTodo(caller, input)),
    );
    server.registerTool(
      'complete_todo',
      { description: 'Mark a todo as completed.', inputSchema: idInput, outputSchema: todoSchema },
      (input) => toResult(this.tools.completeTodo(caller, input)),
    );
    server.registerTool(
      'delete_todo',
      { description: 'Delete a todo.', inputSchema: idInput, outputSchema: todoSchema },
      (input) => toResult(this.tools.deleteTodo(caller, input)),
    );
    return server;
  }
}
