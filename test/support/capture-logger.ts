import type { LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';

/** A Nest logger that keeps every line (message and params, serialised) for assertions. */
export class CaptureLogger implements LoggerService {
  readonly lines: string[] = [];
  readonly entries: Array<{ level: string; message: unknown }> = [];

  private record(level: string, message: unknown, params: unknown[]): void {
    this.entries.push({ level, message });
    this.lines.push([message, ...params].map((part) => (typeof part === 'string' ? part : inspect(part, { depth: 6 }))).join(' '));
  }

  log(message: unknown, ...params: unknown[]): void { this.record('log', message, params); }
  error(message: unknown, ...params: unknown[]): void { this.record('error', message, params); }
  warn(message: unknown, ...params: unknown[]): void { this.record('warn', message, params); }
  debug(message: unknown, ...params: unknown[]): void { this.record('debug', message, params); }
  verbose(message: unknown, ...params: unknown[]): void { this.record('verbose', message, params); }

  /** The structured McpOAuth events logged so far, e.g. `events('tool_call')`. */
  events(type: string): Array<Record<string, unknown>> {
    return this.entries
      .map((entry) => entry.message)
      .filter((message): message is Record<string, unknown> => typeof message === 'object' && message !== null && (message as { event?: unknown }).event === `mcp_oauth.${type}`);
  }
}
