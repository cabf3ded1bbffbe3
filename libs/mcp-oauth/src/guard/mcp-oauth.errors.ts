/**
 * The few ways a request can fail authentication or authorization, each mapped to exactly one HTTP status and
 * RFC 6750 §3.1 error code by the guard. Descriptions are the library's own words: they never contain the token.
 */
export abstract class McpOAuthError extends Error {
  /** HTTP status the guard answers with. */
  abstract readonly status: number;
  /** RFC 6750 §3.1 `error` code, or `undefined` when the request carried no credentials. */
  abstract readonly errorCode: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | undefined;
}

/** No bearer credentials at all: 401, challenge without `error` (RFC 6750 §3.1). */
export class MissingCredentialsError extends McpOAuthError {
  readonly status = 401;
  readonly errorCode = undefined;
  constructor() {
    super('Authentication required: send an access token in the Authorization: Bearer header.');
    this.name = 'MissingCredentialsError';
  }
}

/** Malformed request: token in the query or body, several credentials (400, RFC 6750 §3.1). */
export class InvalidRequestError extends McpOAuthError {
  readonly status = 400;
  readonly errorCode = 'invalid_request' as const;
  constructor(description: string) {
    super(description);
    this.name = 'InvalidRequestError';
  }
}

/** Token malformed, expired, revoked, of another audience or issuer, or badly signed (401, RFC 6750 §3.1). */
export class InvalidTokenError extends McpOAuthError {
  readonly status = 401;
  readonly errorCode = 'invalid_token' as const;
  /** Stable machine-readable reason, for logs and hooks (e.g. `expired`, `audience`, `signature`). */
  readonly reason: string;
  constructor(reason: string, description: string) {
    super(description);
    this.name = 'InvalidTokenError';
    this.reason = reason;
  }
}

/** Valid token lacking scopes the call needs (403, RFC 6750 §3.1; MCP Scope Challenge Handling). */
export class InsufficientScopeError extends McpOAuthError {
  readonly status = 403;
  readonly errorCode = 'insufficient_scope' as const;
  /** Every scope the call needs (not only the missing ones). */
  readonly requiredScopes: readonly string[];
  constructor(requiredScopes: readonly string[], missingScopes: readonly string[]) {
    super(`The access token lacks the scope(s) this call needs: ${missingScopes.join(' ')}.`);
    this.name = 'InsufficientScopeError';
    this.requiredScopes = requiredScopes;
  }
}

/**
 * The signing keys could not be fetched and none cached matches the token: 503 with `Retry-After`, never 401,
 * so clients do not start a pointless re-login while the authorization server is down.
 */
export class AuthorizationServerUnavailableError extends McpOAuthError {
  readonly status = 503;
  readonly errorCode = undefined;
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, options?: { cause?: unknown }) {
    super("The authorization server's signing keys are unavailable; retry later.", options);
    this.name = 'AuthorizationServerUnavailableError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}
