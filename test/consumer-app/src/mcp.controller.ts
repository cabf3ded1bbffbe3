import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { type AuthInfo, McpAuth } from 'nestjs-mcp-oauth';
import { TodoTools } from './todo.tools.js';

interface JsonRpcToolCall {
  jsonrpc: '2.0';
  id: number | string;
  method: string;
  params?: { name?: string; arguments?: Record<string, unknown> };
}

/** A minimal JSON-RPC `tools/call` endpoint standing in for an MCP server (the guard runs before it). */
@Controller('mcp')
export class McpController {
  constructor(private readonly tools: TodoTools) {}

  @Post()
  @HttpCode(200)
  handle(@Body() body: JsonRpcToolCall, @McpAuth() auth: AuthInfo): Record<string, unknown> {
    const name = body.params?.name;
    const result =
      name === 'create_todo'
        ? this.tools.createTodo(String(body.params?.arguments?.title ?? ''))
        : name === 'whoami'
          ? this.tools.whoami(auth)
          : undefined;
    if (result === undefined) return { jsonrpc: '2.0', id: body.id, error: { code: -32602, message: 'unknown tool' } };
    return { jsonrpc: '2.0', id: body.id, result: { structuredContent: result } };
  }
}
