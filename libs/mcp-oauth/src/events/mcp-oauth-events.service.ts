import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ResolvedMcpOAuthOptions } from '../config/mcp-oauth.options.js';
import { MCP_OAUTH_OPTIONS } from '../mcp-oauth.constants.js';
import type { McpOAuthEvent } from './mcp-oauth-event.js';

const LEVELS: Record<McpOAuthEvent['type'], 'log' | 'warn' | 'debug'> = {
  denied: 'log',
  step_up_challenged: 'log',
  rate_limited: 'warn',
  keys_refreshed: 'debug',
  authorization_server_unavailable: 'warn',
  tool_call: 'log',
};

/**
 * Emits {@link McpOAuthEvent}s: one structured log line each (`{ event: 'mcp_oauth.<type>', ... }`) through Nest's
 * `Logger`, then the app's `onAuthEvent` hook, whose errors are contained so a hook can never break a request.
 */
@Injectable()
export class McpOAuthEvents {
  private readonly logger = new Logger('McpOAuth');

  constructor(@Inject(MCP_OAUTH_OPTIONS) private readonly options: ResolvedMcpOAuthOptions) {}

  emit(event: McpOAuthEvent): void {
    const { type, ...fields } = event;
    // Requests without credentials are how discovery starts: expected, so only at debug level.
    const level = type === 'denied' && event.reason === 'missing_credentials' ? 'debug' : LEVELS[type];
    this.logger[level]({ event: `mcp_oauth.${type}`, ...fields });
    if (!this.options.onAuthEvent) return;
    const hookFailed = (error: unknown) =>
      this.logger.error({ event: 'mcp_oauth.hook_failed', error: error instanceof Error ? error.name : typeof error });
    try {
      const result = this.options.onAuthEvent(event) as unknown;
      if (result instanceof Promise) result.catch(hookFailed);
    } catch (error) {
      hookFailed(error);
    }
  }
}
