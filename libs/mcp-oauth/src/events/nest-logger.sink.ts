import { Logger } from '@nestjs/common';
import type { McpOAuthEventLevel, McpOAuthEventSink } from './event-sink.js';

/**
 * Event lines through Nest's `Logger` (context `McpOAuth`), so they reach whatever `LoggerService` the app configured
 * (`eventLog: 'nest-logger'`). Costlier than {@link JsonLinesEventSink} with Nest's default console logger, which
 * formats every line.
 */
export class NestLoggerEventSink implements McpOAuthEventSink {
  private readonly logger = new Logger('McpOAuth');

  write(level: McpOAuthEventLevel, line: Readonly<Record<string, unknown>>): void {
    this.logger[level](line);
  }
}
