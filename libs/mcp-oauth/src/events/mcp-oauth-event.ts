/**
 * Structured events the library emits (logged through Nest's `Logger` under the `McpOAuth` context and handed to the
 * `onAuthEvent` hook). No event ever carries a token, a token fragment or an `Authorization` header value.
 */
export type McpOAuthEvent =
  | {
      /** A request was refused: 400 `invalid_request`, 401 `invalid_token` or 401 without credentials. */
      type: 'denied';
      status: number;
      error: string | undefined;
      /** Stable reason (`expired`, `audience`, `signature`, `malformed`, `missing_credentials`, `invalid_request`...). */
      reason: string;
      method: string;
      path: string;
      correlationId: string;
    }
  | {
      /** A valid token lacked scopes: 403 `insufficient_scope` (MCP step-up). */
      type: 'step_up_challenged';
      subject: string;
      clientId: string | undefined;
      requiredScopes: string[];
      missingScopes: string[];
      tools: string[];
      path: string;
      correlationId: string;
    }
  | {
      /** A client address exceeded the allowed failed authentications: 429. */
      type: 'rate_limited';
      retryAfterSeconds: number;
      path: string;
      correlationId: string;
    }
  | {
      /** Signing keys were fetched. */
      type: 'keys_refreshed';
      jwksUri: string;
      keys: number;
    }
  | {
      /** The signing keys could not be fetched (the cached ones, if any, stay in use). */
      type: 'authorization_server_unavailable';
      jwksUri: string;
      error: string;
      correlationId?: string;
    }
  | {
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
      correlationId: string;
    };

/** The `type` of a {@link McpOAuthEvent}. */
export type McpOAuthEventType = McpOAuthEvent['type'];
