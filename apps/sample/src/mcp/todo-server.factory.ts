import { Injectable } from '@nestjs/common';
import { type CallToolResult, McpServer } from '@modelcontextprotocol/server';
import {
  createTodoArguments,
  TODO_TOOL_DESCRIPTIONS,
  todoIdArguments,
  todoListSchema,
  todoSchema,
  whoamiSchema,
} from '@nestjs-mcp-oauth/sample-kit';
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
 * registered as the MCP SDK documents. Which scopes each tool needs is declared on {@link TodoTools}.
 */
@Injectable()
export class TodoServerFactory implements McpServerFactory {
  constructor(private readonly tools: TodoTools) {}

  createServer(caller: AuthInfo): McpServer {
    const server = new McpServer({ name: 'nestjs-mcp-oauth-sample', version: '0.1.0' });
    server.registerTool('whoami', { description: TODO_TOOL_DESCRIPTIONS.whoami, outputSchema: whoamiSchema }, () =>
      toResult(this.tools.whoami(caller)),
    );
    server.registerTool(
      'list_todos',
      { description: TODO_TOOL_DESCRIPTIONS.list_todos, outputSchema: todoListSchema },
      () => toResult(this.tools.listTodos(caller)),
    );
    server.registerTool(
      'create_todo',
      { description: TODO_TOOL_DESCRIPTIONS.create_todo, inputSchema: createTodoArguments, outputSchema: todoSchema },
      (input) => toResult(this.tools.createTodo(caller, input)),
    );
    server.registerTool(
      'complete_todo',
      { description: TODO_TOOL_DESCRIPTIONS.complete_todo, inputSchema: todoIdArguments, outputSchema: todoSchema },
      (input) => toResult(this.tools.completeTodo(caller, input)),
    );
    server.registerTool(
      'delete_todo',
      { description: TODO_TOOL_DESCRIPTIONS.delete_todo, inputSchema: todoIdArguments, outputSchema: todoSchema },
      (input) => toResult(this.tools.deleteTodo(caller, input)),
    );
    return server;
  }
}
