/** Why a request is `400 invalid_request`: credentials sent the wrong way, or MCP framing the server reads otherwise. */
export type InvalidRequestReason =
  // credentials sent the wrong way (RFC 6750 §2, MCP Authorization: Token Requirements)
  | 'duplicate_credentials'
  | 'token_in_query'
  | 'token_in_body'
  // an MCP request the MCP server would read differently from the guard, or refuse
  | 'absolute_form_target'
  | 'invalid_host'
  | 'batch_too_large'
  | 'json_too_deep'
  | 'mcp_header_mismatch'
  | 'mcp_name_encoding';

/** Why a token is `401 invalid_token` (RFC 6750 §3.1, RFC 9068 §4). */
export type InvalidTokenReason =
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'issued_in_future'
  | 'signature'
  | 'algorithm'
  | 'unknown_key'
  | 'issuer'
  | 'audience'
  | 'type'
  | 'missing_exp'
  | 'missing_sub'
  | 'invalid';

/**
 * Why a request was refused: a closed set, so a `switch` over it is checked by the compiler and logs and hooks can
 * rely on stable values. One failure type carries each group.
 */
export type McpOAuthReason =
  | 'missing_credentials' // 401 without an error code (RFC 6750 §3.1)
  | InvalidRequestReason // 400
  | InvalidTokenReason // 401 invalid_token
  | 'insufficient_scope' // 403
  | 'unknown_tool' // 403
  | 'forbidden_origin' // 403
  | 'unsupported_media_type' // 415
  | 'rate_limited' // 429
  | 'authorization_server_unavailable'; // 503

/** The RFC 6750 §3.1 error codes, the only ones a Bearer challenge may carry. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * A refusal: one subclass per outcome, each with exactly one HTTP status. Turned into the HTTP answer (status,
 * challenge, JSON body) in one place, {@link failureResponse}. Messages are the library's own words: they never
 * contain the token.
 */
export abstract class McpOAuthFailure extends Error {
  /** HTTP status of the answer. */
  abstract readonly status: number;
  /** `error` of the JSON body (and of the challenge, for the RFC 6750 codes). */
  abstract readonly error: string;
  /** Stable machine-readable reason, for logs and hooks. */
  readonly reason: McpOAuthReason;

  protected constructor(reason: McpOAuthReason, description: string, options?: { cause?: unknown }) {
    super(description, options);
    this.reason = reason;
  }
}
