import { buildBearerChallenge } from './bearer-challenge.js';
import {
  AuthorizationServerUnavailableError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  MissingCredentialsError,
  TooManyFailedAuthenticationsError,
} from './failures.js';
import type { McpOAuthFailure } from './mcp-oauth-failure.js';

/** The JSON body of every refusal: the same shape whatever the outcome. */
export interface FailureBody {
  statusCode: number;
  error: string;
  error_description: string;
}

/** A refusal as HTTP: status, headers, JSON body. */
export interface FailureResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: FailureBody;
}

/**
 * The one place a refusal becomes an HTTP answer (the README's behaviour table):
 * - 401 without credentials: `WWW-Authenticate: Bearer` with `resource_metadata` and the call's `scope`, no `error`
 *   (RFC 6750 §3.1, RFC 9728 §5.1, MCP Protected Resource Metadata Discovery);
 * - 400 about credentials, 401 `invalid_token`: a challenge with `error` and `error_description`;
 * - 403 `insufficient_scope`: a challenge listing every scope the call needs (MCP Scope Challenge Handling);
 * - 429 and 503: `Retry-After`, no challenge (no re-login while the server or the client is throttled);
 * - other refusals (Origin, media type, unknown tool, MCP framing): no challenge, nothing a new token would fix.
 * Every answer is `Cache-Control: no-store` with a `{ statusCode, error, error_description }` body.
 */
export function failureResponse(failure: McpOAuthFailure, resourceMetadataUrl: string): FailureResponse {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  const challenge = challengeOf(failure, resourceMetadataUrl);
  if (challenge !== undefined) headers['WWW-Authenticate'] = challenge;
  if (failure instanceof TooManyFailedAuthenticationsError || failure instanceof AuthorizationServerUnavailableError) {
    headers['Retry-After'] = String(failure.retryAfterSeconds);
  }
  return {
    status: failure.status,
    headers,
    body: { statusCode: failure.status, error: failure.error, error_description: failure.message },
  };
}

function challengeOf(failure: McpOAuthFailure, resourceMetadataUrl: string): string | undefined {
  if (failure instanceof MissingCredentialsError) {
    return buildBearerChallenge({ resourceMetadataUrl, scopes: failure.requiredScopes });
  }
  if (failure instanceof InsufficientScopeError) {
    return buildBearerChallenge({
      resourceMetadataUrl,
      error: 'insufficient_scope',
      errorDescription: failure.message,
      scopes: failure.requiredScopes,
    });
  }
  if (failure instanceof InvalidTokenError) {
    return buildBearerChallenge({ resourceMetadataUrl, error: 'invalid_token', errorDescription: failure.message });
  }
  if (failure instanceof InvalidRequestError && failure.aboutCredentials) {
    return buildBearerChallenge({ resourceMetadataUrl, error: 'invalid_request', errorDescription: failure.message });
  }
  return undefined;
}
