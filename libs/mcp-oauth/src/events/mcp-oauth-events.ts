import type { OnApplicationShutdown } from '@nestjs/common';
import type { McpOAuthEventLevel, McpOAuthEventSink } from './event-sink.js';
import { eventLine } from './event-sink.js';
import type { McpOAuthEvent } from './mcp-oauth-event.js';

const LEVELS: Record<McpOAuthEvent['type'], McpOAuthEventLevel> = {
  denied: 'log',
  step_up_challenged: 'log',
  rate_limited: 'warn',
  keys_refreshed: 'debug',
  authorization_server_unavailable: 'warn',
  limiter_storage_failed: 'warn',
  tool_call: 'log',
};

/** The app's `onAuthEvent` hook. */
export type McpOAuthEventHook = (event: McpOAuthEvent) => void | Promise<void>;

/**
 * Emits {@link McpOAuthEvent}s: one structured line each to the sink (`{ event: 'mcp_oauth.<type>', ... }`), then
 * the app's `onAuthEvent` hook, whose errors are contained so a hook can never break a request.
 */
export class McpOAuthEvents implements OnApplicationShutdown {
  constructor(
    private readonly sink: McpOAuthEventSink | undefined,
    private readonly hook: McpOAuthEventHook | undefined,
  ) {}

  emit(event: McpOAuthEvent): void {
    // Requests without credentials are how discovery starts: expected, so only at debug level.
    const level = event.type === 'denied' && event.reason === 'missing_credentials' ? 'debug' : LEVELS[event.type];
    this.sink?.write(level, eventLine(event));
    if (!this.hook) return;
    try {
      const result = this.hook(event) as unknown;
      if (result instanceof Promise) result.catch((error: unknown) => this.hookFailed(error));
    } catch (error) {
      this.hookFailed(error);
    }
  }

  /** A bug somewhere (a verifier, a hook): logged by error name only, never with data that could hold a token. */
  reportUnexpected(event: string, error: unknown): void {
    this.sink?.write('error', { event, error: error instanceof Error ? error.name : typeof error });
  }

  onApplicationShutdown(): void {
    this.sink?.close?.();
  }

  private hookFailed(error: unknown): void {
    this.reportUnexpected('mcp_oauth.hook_failed', error);
  }
}

/** Longest request-derived text (paths, tool names) copied into an event. */
export const MAX_EVENT_TEXT = 256;

/** A request-derived text cut to {@link MAX_EVENT_TEXT} characters, so one request writes a bounded amount of log. */
export function boundedText(value: string): string {
  return value.length <= MAX_EVENT_TEXT ? value : `${value.slice(0, MAX_EVENT_TEXT)}…`;
}

/** Injection token of the {@link McpOAuthEvents} emitter (internal). */
export const MCP_OAUTH_EVENTS = Symbol('nestjs-mcp-oauth:Events');
