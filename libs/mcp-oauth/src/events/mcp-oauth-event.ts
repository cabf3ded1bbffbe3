import type { McpOAuthReason } from '../errors/mcp-oauth-failure.js';

/** Correlation fields of an event tied to one request. */
interface RequestCorrelation {
  /** Server-generated id of the request (the `X-Request-Id` response header). */
  correlationId: string;
  /** The caller's own `X-Request-Id`, when it sent a safe one: recorded, never trusted as ours. */
  clientRequestId?: string;
}

/**
 * Structured events the library emits (logged under the `McpOAuth` context and handed to the `onAuthEvent` hook).
 * No event ever carries a token, a token fragment, an `Authorization` header value or tool arguments; fields copied
 * from the request (path, tool names) are truncated, so one request writes a bounded amount of log.
 */
export type McpOAuthEvent =
  | ({
      /** A request was refused before its token was checked for scopes: 400, 401, 403 (Origin, unknown tool), 415. */
      type: 'denied';
      status: number;
      error: string;
      reason: McpOAuthReason;
      method: string;
      path: string;
    } & RequestCorrelation)
  | ({
      /** A valid token lacked scopes: 403 `insufficient_scope` (MCP step-up). */
      type: 'step_up_challenged';
      subject: string;
      clientId: string | undefined;
      requiredScopes: string[];
      missingScopes: string[];
      tools: string[];
      path: string;
    } & RequestCorrelation)
  | ({
      /** A client address exceeded the allowed failed authentications: 429. */
      type: 'rate_limited';
      retryAfterSeconds: number;
      path: string;
    } & RequestCorrelation)
  | {
      /** Signing keys were fetched. */
      type: 'keys_refreshed';
      jwksUri: string;
      keys: number;
    }
  | ({
      /** The signing keys could not be fetched (the cached ones, if any, stay in use); a 503 carries the request ids. */
      type: 'authorization_server_unavailable';
      jwksUri: string;
      error: string;
    } & Partial<RequestCorrelation>)
  | {
      /** The failed-authentication limiter's storage failed: the limiter fails open until it works again. */
      type: 'limiter_storage_failed';
      error: string;
    }
  | ({
      /** Audit trail: one per `tools/call` that passed the guard, once its response is done. */
      type: 'tool_call';
      tool: string;
      subject: string;
      clientId: string | undefined;
      grantedScopes: string[];
      /** `completed` (2xx), `failed` (other status) or `aborted` (the client went away first). */
      outcome: 'completed' | 'failed' | 'aborted';
      status: number;
      durationMs: number;
    } & RequestCorrelation);

/** The `type` of a {@link McpOAuthEvent}. */
export type McpOAuthEventType = McpOAuthEvent['type'];
