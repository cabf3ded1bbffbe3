import { jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AuthInfo } from '../auth/auth-info.js';
import { authInfoFromClaims } from '../auth/claims-to-auth-info.js';
import { McpOAuthError, InvalidTokenError } from '../guard/mcp-oauth.errors.js';
import type { TokenVerifier } from './token-verifier.js';

/** Settings of {@link JwtTokenVerifier}. */
export interface JwtTokenVerifierOptions {
  /** Accepted issuers, compared exactly (RFC 9068 §4). */
  issuers: string[];
  /** Accepted audiences; the token's `aud` must contain one of them, compared exactly (RFC 8707, RFC 9068 §4). */
  audiences: string[];
  /** JWS algorithm allow-list (RFC 8725 §3.1). */
  algorithms: string[];
  /** Clock skew tolerated for `exp`, `nbf` and `iat`, in seconds. */
  clockToleranceSeconds: number;
  /** Required `typ` header (e.g. `at+jwt`, RFC 9068 §2.1), or undefined. */
  requiredTokenType?: string;
}

/** jose error codes mapped to stable reasons and descriptions that never quote the token. */
const JOSE_ERRORS: Record<string, [reason: string, description: string]> = {
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

/** Claim (or header) failures, mapped to stable reasons and descriptions. */
export const CLAIM_REASONS: Record<string, [reason: string, description: string]> = {
  iss: ['issuer', 'The access token was issued by an issuer this server does not trust.'],
  aud: ['audience', 'The access token was not issued for this resource (audience mismatch).'],
  nbf: ['not_yet_valid', 'The access token is not valid yet.'],
  iat: ['issued_in_future', 'The access token was issued in the future.'],
  exp: ['missing_exp', 'The access token has no valid expiry (exp).'],
  sub: ['missing_sub', 'The access token has no subject (sub).'],
  typ: ['type', 'The access token has the wrong type (typ).'],
};

/** Maps any verification failure to an {@link InvalidTokenError}, keeping the library's own errors as they are. */
export function toInvalidTokenError(error: unknown): McpOAuthError {
  if (error instanceof McpOAuthError) return error;
  if (
    (error as { code?: string } | null)?.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' &&
    (error as { claim?: string }).claim === 'typ'
  ) {
    return new InvalidTokenError(...CLAIM_REASONS.typ);
  }
  const { code, claim } = (error ?? {}) as { code?: string; claim?: string };
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim && CLAIM_REASONS[claim]) {
    return new InvalidTokenError(...CLAIM_REASONS[claim]);
  }
  const known = code ? JOSE_ERRORS[code] : undefined;
  if (known) return new InvalidTokenError(...known);
  return new InvalidTokenError('invalid', 'The access token is invalid.');
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)$/;
/** Last characters of a canonical base64url string whose length is 2 or 3 (mod 4): the unused low bits are zero. */
const CANONICAL_LAST_CHAR: Record<number, RegExp> = { 2: /[AQgw]$/, 3: /[AEIMQUYcgkosw048]$/ };

/**
 * A JWS in compact serialisation is three unpadded base64url segments (RFC 7515 §3.1, §2). Anything else is
 * malformed, including a padded or non-canonical signature (unused trailing bits set), which decoders would otherwise
 * accept: one token must have exactly one spelling, or anything keyed on the token string could be sidestepped.
 */
export function assertCompactJws(token: string): void {
  const signature = COMPACT_JWS.exec(token)?.[1];
  const remainder = signature === undefined ? 1 : signature.length % 4;
  if (remainder === 1 || (remainder !== 0 && !CANONICAL_LAST_CHAR[remainder].test(signature as string))) {
    throw new InvalidTokenError('malformed', 'The access token is malformed (not a compact JWS).');
  }
}

/**
 * Verifies JWT access tokens with jose against the authorization server's signing keys: signature with an
 * algorithm from the allow-list, `iss`, `aud`, `exp` (required), `nbf` and `iat` (not in the future beyond the
 * tolerance), `sub` (required, RFC 9068 §2.2), and optionally `typ`. `crit` headers are rejected unless understood;
 * `jku`, `x5u` and `jwk` headers are never followed (RFC 8725 §3.10).
 */
export class JwtTokenVerifier implements TokenVerifier {
  constructor(
    private readonly getKey: JWTVerifyGetKey,
    private readonly options: JwtTokenVerifierOptions,
  ) {}

  async verify(token: string): Promise<AuthInfo> {
    const { issuers, audiences, algorithms, clockToleranceSeconds, requiredTokenType } = this.options;
    assertCompactJws(token);
    try {
      const { payload } = await jwtVerify(token, this.getKey, {
        issuer: issuers,
        audience: audiences,
        algorithms,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
        typ: requiredTokenType,
      });
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + clockToleranceSeconds) {
        throw new InvalidTokenError(...CLAIM_REASONS.iat);
      }
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError(...CLAIM_REASONS.sub);
      return authInfoFromClaims(payload);
    } catch (error) {
      throw toInvalidTokenError(error);
    }
  }
}
