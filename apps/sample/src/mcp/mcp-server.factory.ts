import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { type CallToolResult, McpServer } from '@modelcontextprotocol/server';
import type { AuthInfo } from 'nestjs-mcp-oauth';
import { SAMPLE_TOOL_METADATA, type ToolDefinition } from './tool.decorator.js';

type ToolHandler = (input: unknown, auth: AuthInfo) => unknown;

interface DiscoveredTool {
  definition: ToolDefinition;
  handler: ToolHandler;
}

/** Tool results are JSON: `structuredContent`, mirrored as JSON text content (MCP Tools: Structured Content). */
function toResult(value: unknown): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value) }],
    structuredContent: value as Record<string, unknown>,
  };
}

/**
 * Builds an MCP server (official SDK) exposing every `@Tool` method of the app's providers. Stateless Streamable
 * HTTP needs a fresh server per request; the tool list is discovered once at boot.
 */
@Injectable()
export class McpServerFactory implements OnModuleInit {
  private tools: DiscoveredTool[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, ToolHandler> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const definition = this.reflector.get<ToolDefinition | undefined>(SAMPLE_TOOL_METADATA, instance[methodName]);
        if (definition) this.tools.push({ definition, handler: instance[methodName].bind(instance) });
      }
    }
  }

  /** A new server whose tools run as the given caller. */
  create(auth: AuthInfo): McpServer {
    const server = new McpServer({ name: 'nestjs-mcp-oauth-sample', version: '0.1.0' });
    for (const { definition, handler } of this.tools) {
      const config = {
        description: definition.description,
        ...(definition.inputSchema ? { inputSchema: definition.inputSchema } : {}),
        ...(definition.outputSchema ? { outputSchema: definition.outputSchema } : {}),
      };
      server.registerTool(definition.name, config, async (...args: unknown[]) => {
        const input = definition.inputSchema ? args[0] : {};
        return toResult(await handler(input, auth));
      });
    }
    return server;
  }
}
