import type { McpOAuthEvent } from './mcp-oauth-event.js';

/** Log level of an event line. */
export type McpOAuthEventLevel = 'log' | 'warn' | 'debug' | 'error';

/** Where the library's event lines go (the `eventLog` option picks a built-in one). */
export interface McpOAuthEventSink {
  /** Writes one event line; must not throw. */
  write(level: McpOAuthEventLevel, line: Readonly<Record<string, unknown>> & { event: string }): void;
  /** Writes what is buffered and lets go of process resources (called when the app shuts down). */
  close?(): void;
}

/** The line of an event: `{ event: 'mcp_oauth.<type>', ...fields }` (no token, ever: events carry none). */
export function eventLine(event: McpOAuthEvent): Record<string, unknown> & { event: string } {
  const { type, ...fields } = event;
  return { event: `mcp_oauth.${type}`, ...fields };
}
