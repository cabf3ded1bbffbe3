import { type InvalidRequestReason, type InvalidTokenReason, McpOAuthFailure } from './mcp-oauth-failure.js';

export type { InvalidRequestReason, InvalidTokenReason } from './mcp-oauth-failure.js';

/** Longest `Retry-After` sent, in seconds (one day). */
const MAX_RETRY_AFTER_SECONDS = 86_400;

/** A `Retry-After` delay-seconds value (RFC 9110 §10.2.3): a whole number from 1 to a day, whatever it is given. */
function retryDelaySeconds(seconds: number): number {
  if (Number.isNaN(seconds)) return 1;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
}

/** No bearer credentials at all: 401, challenge without `error` (RFC 6750 §3.1). */
export class MissingCredentialsError extends McpOAuthFailure {
  readonly status = 401;
  /** What older MCP clients look for before they start their login (Nest's own 401 body says the same). */
  readonly error = 'Unauthorized';
  /** Scopes the call needs, for the challenge's `scope` (MCP Authorization: Scope Selection Strategy). */
  readonly requiredScopes: readonly string[];

  constructor(requiredScopes: readonly string[] = []) {
    super('missing_credentials', 'Authentication required: send an access token in the Authorization: Bearer header.');
    this.name = 'MissingCredentialsError';
    this.requiredScopes = requiredScopes;
  }
}

/** `invalid_request` reasons about the credentials themselves (RFC 6750 §2): these count as failed authentications. */
const CREDENTIAL_REASONS: ReadonlySet<InvalidRequestReason> = new Set([
  'duplicate_credentials',
  'token_in_query',
  'token_in_body',
]);

/** A malformed request (400 `invalid_request`, RFC 6750 §3.1; MCP Authorization: Error Handling). */
export class InvalidRequestError extends McpOAuthFailure {
  readonly status = 400;
  readonly error = 'invalid_request';
  declare readonly reason: InvalidRequestReason;

  constructor(reason: InvalidRequestReason, description: string) {
    super(reason, description);
    this.name = 'InvalidRequestError';
  }

  /** True when the credentials were sent the wrong way (a Bearer challenge applies); false for MCP framing. */
  get aboutCredentials(): boolean {
    return CREDENTIAL_REASONS.has(this.reason);
  }
}

/**
 * The token is malformed, expired, of another audience or issuer, or badly signed (401 `invalid_token`, RFC 6750
 * §3.1). Throw it from a custom {@link TokenVerifier} for any token that must be refused.
 *
 * @example
 * throw new InvalidTokenError('expired', 'The access token has expired.');
 */
export class InvalidTokenError extends McpOAuthFailure {
  readonly status = 401;
  readonly error = 'invalid_token';
  declare readonly reason: InvalidTokenReason;

  constructor(reason: InvalidTokenReason, description: string) {
    super(reason, description);
    this.name = 'InvalidTokenError';
  }
}

/** A valid token lacking scopes the call needs (403 `insufficient_scope`, RFC 6750 §3.1; MCP Scope Challenge Handling). */
export class InsufficientScopeError extends McpOAuthFailure {
  readonly status = 403;
  readonly error = 'insufficient_scope';
  /** Every scope the call needs (the challenge lists them all, not only the missing ones). */
  readonly requiredScopes: readonly string[];
  readonly missingScopes: readonly string[];
  /** Who was refused and which tools they called (for the step-up event). */
  readonly caller: { subject: string; clientId: string | undefined; tools: readonly string[] } | undefined;

  constructor(
    requiredScopes: readonly string[],
    missingScopes: readonly string[],
    caller?: InsufficientScopeError['caller'],
  ) {
    super('insufficient_scope', `The access token lacks the scope(s) this call needs: ${missingScopes.join(' ')}.`);
    this.name = 'InsufficientScopeError';
    this.requiredScopes = requiredScopes;
    this.missingScopes = missingScopes;
    this.caller = caller;
  }
}

/**
 * A `tools/call` of a tool whose scopes the library does not know, with `unknownTools: 'deny'` (the default): 403
 * without a challenge, since no scope would help and clients must not start a step-up.
 */
export class UnknownToolError extends McpOAuthFailure {
  readonly status = 403;
  readonly error = 'unknown_tool';

  constructor(readonly tool: string) {
    // The name comes from the request: quoted, and cut so the answer stays small whatever was sent.
    const shown = tool.length > 128 ? `${tool.slice(0, 128)}…` : tool;
    super(
      'unknown_tool',
      `The tool ${JSON.stringify(shown)} is not known to this server's authorization: it may not be called.`,
    );
    this.name = 'UnknownToolError';
  }
}

/** A present `Origin` that may not call the MCP endpoint (403; MCP Streamable HTTP: validate `Origin`). */
export class ForbiddenOriginError extends McpOAuthFailure {
  readonly status = 403;
  readonly error = 'forbidden_origin';

  constructor() {
    super('forbidden_origin', 'This Origin may not call the MCP endpoint.');
    this.name = 'ForbiddenOriginError';
  }
}

/**
 * A body on the MCP endpoint that the guard could not read as JSON: refused before anything runs (415), since the
 * MCP server might read it differently and run what the guard never authorized.
 */
export class UnsupportedMediaTypeError extends McpOAuthFailure {
  readonly status = 415;
  readonly error = 'unsupported_media_type';

  constructor() {
    super(
      'unsupported_media_type',
      'The MCP endpoint accepts a JSON-RPC body only: a JSON object or array, sent with Content-Type: application/json and parsed by the framework before the guard runs.',
    );
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** A client address past its failed-authentication limit (429 with `Retry-After`). */
export class TooManyFailedAuthenticationsError extends McpOAuthFailure {
  readonly status = 429;
  readonly error = 'too_many_requests';
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    const seconds = retryDelaySeconds(retryAfterSeconds);
    super('rate_limited', `Too many failed authentications from this address; retry in ${seconds} s.`);
    this.name = 'TooManyFailedAuthenticationsError';
    this.retryAfterSeconds = seconds;
  }
}

/**
 * The signing keys could not be fetched and none cached matches the token: 503 with `Retry-After`, never 401, so
 * clients do not start a pointless re-login while the authorization server is down. Throw it from a custom
 * {@link TokenVerifier} when the decision cannot be made.
 */
export class AuthorizationServerUnavailableError extends McpOAuthFailure {
  readonly status = 503;
  readonly error = 'temporarily_unavailable';
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(
      'authorization_server_unavailable',
      "The authorization server's signing keys are unavailable; retry later.",
      options,
    );
    this.name = 'AuthorizationServerUnavailableError';
    this.retryAfterSeconds = retryDelaySeconds(retryAfterSeconds);
  }
}
