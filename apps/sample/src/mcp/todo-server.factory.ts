import { Injectable } from '@nestjs/common';
import { type CallToolResult, McpServer } from '@modelcontextprotocol/server';
import { TODO_TOOLS } from '@nestjs-mcp-oauth/sample-kit';
import type { AuthInfo } from 'nestjs-mcp-oauth';
import type { McpServerFactory } from 'nestjs-mcp-oauth/mcp-sdk';
import { TodoTools } from '../todos/todo.tools.js';

/** Tool results are JSON: `structuredContent`, mirrored as JSON text content (MCP Tools: Structured Content). */
function toResult(value: object): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value) }],
    structuredContent: value as Record<string, unknown>,
  };
}

/**
 * The sample's MCP server, built per request for the verified caller (stateless Streamable HTTP), with its tools
 * registered as the MCP SDK documents (descriptions and zod schemas from the sample kit's `TODO_TOOLS`). Which scopes
 * each tool needs is declared on {@link TodoTools}.
 */
@Injectable()
export class TodoServerFactory implements McpServerFactory {
  constructor(private readonly tools: TodoTools) {}

  createServer(caller: AuthInfo): McpServer {
    const server = new McpServer({ name: 'nestjs-mcp-oauth-sample', version: '0.1.0' });
    server.registerTool('whoami', TODO_TOOLS.whoami, () => toResult(this.tools.whoami(caller)));
    server.registerTool('list_todos', TODO_TOOLS.list_todos, () => toResult(this.tools.listTodos(caller)));
    server.registerTool('create_todo', TODO_TOOLS.create_todo, (input) =>
      toResult(this.tools.createTodo(caller, input)),
    );
    server.registerTool('complete_todo', TODO_TOOLS.complete_todo, (input) =>
      toResult(this.tools.completeTodo(caller, input)),
    );
    server.registerTool('delete_todo', TODO_TOOLS.delete_todo, (input) =>
      toResult(this.tools.deleteTodo(caller, input)),
    );
    return server;
  }
}
