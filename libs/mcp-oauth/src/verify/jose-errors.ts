import { McpOAuthFailure } from '../errors/mcp-oauth-failure.js';
import { InvalidTokenError, type InvalidTokenReason } from '../errors/failures.js';

type ReasonAndDescription = [reason: InvalidTokenReason, description: string];

/** jose error codes mapped to stable reasons and descriptions that never quote the token. */
const JOSE_ERRORS: Record<string, ReasonAndDescription> = {
  ERR_JWT_EXPIRED: ['expired', 'The access token has expired.'],
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: ['signature', 'The access token signature is invalid.'],
  ERR_JOSE_ALG_NOT_ALLOWED: ['algorithm', 'The access token is signed with an algorithm that is not allowed.'],
  ERR_JWKS_NO_MATCHING_KEY: ['unknown_key', 'No signing key of the authorization server matches the token.'],
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: ['unknown_key', 'The token names no key id and several keys could match.'],
  ERR_JOSE_NOT_SUPPORTED: ['malformed', 'The access token uses an unsupported format or algorithm.'],
  ERR_JWS_INVALID: ['malformed', 'The access token is malformed.'],
  ERR_JWT_INVALID: ['malformed', 'The access token is malformed.'],
  ERR_JWE_INVALID: ['malformed', 'The access token is malformed.'],
};

/** Claim (or header) failures, mapped to stable reasons and descriptions (RFC 9068 §4). */
export const CLAIM_FAILURES = {
  iss: ['issuer', 'The access token was issued by an issuer this server does not trust.'],
  aud: ['audience', 'The access token was not issued for this resource (audience mismatch).'],
  nbf: ['not_yet_valid', 'The access token is not valid yet.'],
  iat: ['issued_in_future', 'The access token was issued in the future.'],
  exp: ['missing_exp', 'The access token has no valid expiry (exp).'],
  sub: ['missing_sub', 'The access token has no subject (sub).'],
  typ: ['type', 'The access token has the wrong type (typ).'],
} as const satisfies Record<string, ReasonAndDescription>;

/** True for an error thrown by jose (its errors carry a `code` such as `ERR_JWT_EXPIRED`). */
export function isJoseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('ERR_JW') || code.startsWith('ERR_JOSE'));
}

/**
 * Maps any verification failure to the library's refusal: its own failures stay as they are, jose's errors become
 * an {@link InvalidTokenError} with a stable reason, and anything else is `invalid` (fail closed).
 */
export function verificationFailure(error: unknown): McpOAuthFailure {
  if (error instanceof McpOAuthFailure) return error;
  const { code, claim } = (error ?? {}) as { code?: string; claim?: string };
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim !== undefined && Object.hasOwn(CLAIM_FAILURES, claim)) {
    const [reason, description] = CLAIM_FAILURES[claim as keyof typeof CLAIM_FAILURES];
    return new InvalidTokenError(reason, description);
  }
  const known = code !== undefined && Object.hasOwn(JOSE_ERRORS, code) ? JOSE_ERRORS[code] : undefined;
  if (known) return new InvalidTokenError(...known);
  return new InvalidTokenError('invalid', 'The access token is invalid.');
}
