import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { TodoNotFoundError } from '@nestjs-mcp-oauth/sample-kit';
import { type Observable, of } from 'rxjs';

/**
 * A todo the caller does not have (absent, or another user's) ends the tool call with a tool error result, as the
 * MCP SDK's server turns a tool's exception into one: `{ content: [{ type: 'text', text: message }], isError: true }`.
 * Without this filter Nest's RPC pipeline would mask the message as "Internal server error" (and mcp-nest would log
 * every such call as an error).
 */
@Catch(TodoNotFoundError)
export class TodoNotFoundFilter implements RpcExceptionFilter<TodoNotFoundError> {
  catch(error: TodoNotFoundError): Observable<CallToolResult> {
    return of({ content: [{ type: 'text', text: error.message }], isError: true });
  }
}
