import type { LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';

/** Serialises one logged value both ways a log pipeline might: JSON and `util.inspect` (which shows Error stacks). */
export function serialiseLogValue(value: unknown): string {
  if (typeof value === 'string') return value;
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = '[unserialisable]';
  }
  return `${json} ${inspect(value, { depth: 12, breakLength: Infinity, maxStringLength: Infinity, maxArrayLength: Infinity })}`;
}

/**
 * A Nest `LoggerService` that records every message and optional parameter of every level, so a test can check what
 * the app would have written to its logs, and read back the structured McpOAuth events.
 */
export class CaptureLogger implements LoggerService {
  readonly lines: string[] = [];
  private readonly messages: unknown[] = [];

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.record('log', message, optionalParams);
  }
  error(message: unknown, ...optionalParams: unknown[]): void {
    this.record('error', message, optionalParams);
  }
  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.record('warn', message, optionalParams);
  }
  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.record('debug', message, optionalParams);
  }
  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.record('verbose', message, optionalParams);
  }
  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.record('fatal', message, optionalParams);
  }

  /** Records a line written some other way (e.g. straight to `console`). */
  record(level: string, message: unknown, optionalParams: unknown[] = []): void {
    this.messages.push(message);
    this.lines.push([level, serialiseLogValue(message), ...optionalParams.map(serialiseLogValue)].join(' '));
  }

  /** The structured McpOAuth events logged so far, e.g. `events('tool_call')`. */
  events(type: string): Array<Record<string, unknown>> {
    return this.messages.filter(
      (message): message is Record<string, unknown> =>
        typeof message === 'object' &&
        message !== null &&
        (message as { event?: unknown }).event === `mcp_oauth.${type}`,
    );
  }
}
