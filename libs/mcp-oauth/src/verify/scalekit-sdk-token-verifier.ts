import { decodeProtectedHeader } from 'jose';
import type { AuthInfo } from '../auth/auth-info.js';
import { authInfoFromClaims } from '../auth/claims-to-auth-info.js';
import { AuthorizationServerUnavailableError, InvalidTokenError } from '../errors/failures.js';
import { assertCompactJws } from './compact-jws.js';
import { CLAIM_FAILURES } from './jose-errors.js';
import type { JwtTokenVerifierOptions } from './jwt-token-verifier.js';
import type { TokenVerifier } from './token-verifier.js';

/**
 * The part of `@scalekit-sdk/node`'s `Scalekit` client this verifier calls (structural, so the library's types never
 * pull in the SDK's typings).
 */
export interface ScalekitTokenValidator {
  validateToken<T>(token: string, options?: { issuer?: string; audience?: string[] }): Promise<T>;
}

/** What {@link ScalekitSdkTokenVerifier} checks: as the JWT verifier, without a clock tolerance (the SDK has none). */
export type ScalekitSdkTokenRules = Omit<JwtTokenVerifierOptions, 'clockToleranceSeconds'>;

/**
 * Verification through `Scalekit#validateToken` of `@scalekit-sdk/node` (the `'scalekit-sdk'` mode).
 * Issuers and audiences are always passed (the SDK checks neither by default); the algorithm allow-list and the
 * required `typ` are checked on the header here, and `exp` / `sub` are required, because the SDK does none of that.
 * Known limits of the SDK (2.11) that this mode inherits and the default `'jwt'` mode does not: keys are cached
 * forever with no refetch for an unknown `kid` (key rotation needs a restart), the key set is re-imported on every call
 * (2-4x slower), no clock tolerance (`clockToleranceSeconds` does not apply), no `iat` check.
 */
export class ScalekitSdkTokenVerifier implements TokenVerifier {
  constructor(
    private readonly scalekit: ScalekitTokenValidator,
    private readonly rules: ScalekitSdkTokenRules,
  ) {}

  async verify(token: string): Promise<AuthInfo> {
    assertCompactJws(token);
    this.checkHeader(token);
    let claims: Record<string, unknown>;
    try {
      // The SDK types `issuer` as a string but hands it to jose, which accepts an array of accepted issuers.
      claims = await this.scalekit.validateToken<Record<string, unknown>>(token, {
        issuer: this.rules.issuers as unknown as string,
        audience: this.rules.audiences,
      });
    } catch (error) {
      if ((error as { isAxiosError?: boolean }).isAxiosError) {
        throw new AuthorizationServerUnavailableError(30, { cause: error });
      }
      throw new InvalidTokenError('invalid', 'The access token is invalid (rejected by the Scalekit SDK).');
    }
    if (typeof claims.exp !== 'number') throw new InvalidTokenError(...CLAIM_FAILURES.exp);
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new InvalidTokenError(...CLAIM_FAILURES.sub);
    return authInfoFromClaims(claims, this.rules.principalNamespaces);
  }

  /** The `alg` allow-list and the required `typ`, which the SDK does not check (RFC 8725 §3.1, RFC 9068 §4). */
  private checkHeader(token: string): void {
    let header: { alg?: unknown; typ?: unknown };
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new InvalidTokenError('malformed', 'The access token is malformed.');
    }
    if (typeof header.alg !== 'string' || !this.rules.algorithms.includes(header.alg)) {
      throw new InvalidTokenError('algorithm', 'The access token is signed with an algorithm that is not allowed.');
    }
    const { requiredTokenType } = this.rules;
    if (requiredTokenType !== undefined && String(header.typ).toLowerCase() !== requiredTokenType.toLowerCase()) {
      throw new InvalidTokenError(...CLAIM_FAILURES.typ);
    }
  }
}
