import { jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AuthInfo } from '../auth/auth-info.js';
import { authInfoFromClaims } from '../auth/claims-to-auth-info.js';
import { InvalidTokenError } from '../errors/failures.js';
import { assertCompactJws } from './compact-jws.js';
import { CLAIM_FAILURES, verificationFailure } from './jose-errors.js';
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
  /** Issuer -> user namespace, for {@link AuthInfo.principal} (an issuer not listed is its own namespace). */
  principalNamespaces?: Readonly<Record<string, string>>;
}

/**
 * Verifies JWT access tokens with jose against the authorization server's signing keys: signature with an
 * algorithm from the allow-list, `iss`, `aud`, `exp` (required), `nbf` and `iat` (not in the future beyond the
 * tolerance), `sub` (required, RFC 9068 §2.2), and optionally `typ`. `crit` headers are rejected unless understood;
 * `jku`, `x5u` and `jwk` headers are never followed (RFC 8725 §3.10).
 *
 * @example
 * const verifier = new JwtTokenVerifier(keys.getKey, { issuers, audiences, algorithms: ['RS256'], clockToleranceSeconds: 30 });
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
        throw new InvalidTokenError(...CLAIM_FAILURES.iat);
      }
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError(...CLAIM_FAILURES.sub);
      return authInfoFromClaims(payload, this.options.principalNamespaces);
    } catch (error) {
      throw verificationFailure(error);
    }
  }
}
