import type { LoggerService, LogLevel } from '@nestjs/common';
import { McpStrategy } from '@rekog/mcp-nest';
import { mcpTransport } from './mcp-transport.js';

/**
 * The MCP server as mcp-nest runs it, a Nest microservice strategy: every `@McpController` tool, served over
 * {@link mcpTransport}. One per app (the strategy collects the app's tool handlers when it starts). It logs what the
 * app's `logger` option lets through: mcp-nest takes `false` or a list of levels; with a logger object it logs through
 * Nest's `Logger`, which the app routes to that object.
 */
export function createMcpStrategy(logger: LoggerService | LogLevel[] | false | undefined): McpStrategy {
  const logging =
    logger === false
      ? (false as const)
      : Array.isArray(logger)
        ? { level: logger.filter((level): level is Exclude<LogLevel, 'fatal'> => level !== 'fatal') }
        : undefined;
  return new McpStrategy({
    name: 'nestjs-mcp-oauth-mcp-nest-sample',
    version: '0.1.0',
    transports: [mcpTransport],
    logging,
  });
}
