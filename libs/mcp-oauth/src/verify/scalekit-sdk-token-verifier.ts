import type { Scalekit } from '@scalekit-sdk/node';
import { decodeProtectedHeader } from 'jose';
import type { AuthInfo } from '../auth/auth-info.js';
import { authInfoFromClaims } from '../auth/claims-to-auth-info.js';
import { AuthorizationServerUnavailableError, InvalidTokenError } from '../guard/mcp-oauth.errors.js';
import { assertCompactJws, CLAIM_REASONS } from './jwt-token-verifier.js';
import type { TokenVerifier } from './token-verifier.js';

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
    private readonly scalekit: Scalekit,
    private readonly issuers: string[],
    private readonly audiences: string[],
    private readonly header: { algorithms: string[]; requiredTokenType?: string } = { algorithms: ['RS256'] },
  ) {}

  async verify(token: string): Promise<AuthInfo> {
    assertCompactJws(token);
    this.checkHeader(token);
    let claims: Record<string, unknown>;
    try {
      // The SDK types `issuer` as a string but hands it to jose, which accepts an array of accepted issuers.
      claims = await this.scalekit.validateToken<Record<string, unknown>>(token, {
        issuer: this.issuers as unknown as string,
        audience: this.audiences,
      });
    } catch (error) {
      if ((error as { isAxiosError?: boolean }).isAxiosError) {
        throw new AuthorizationServerUnavailableError(30, { cause: error });
      }
      throw new InvalidTokenError('invalid', 'The access token is invalid (rejected by the Scalekit SDK).');
    }
    if (typeof claims.exp !== 'number') throw new InvalidTokenError(...CLAIM_REASONS.exp);
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new InvalidTokenError(...CLAIM_REASONS.sub);
    return authInfoFromClaims(claims);
  }

  /** The `alg` allow-list and the required `typ`, which the SDK does not check (RFC 8725 §3.1, RFC 9068 §4). */
  private checkHeader(token: string): void {
    let header: { alg?: unknown; typ?: unknown };
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new InvalidTokenError('malformed', 'The access token is malformed.');
    }
    if (typeof header.alg !== 'string' || !this.header.algorithms.includes(header.alg)) {
      throw new InvalidTokenError('algorithm', 'The access token is signed with an algorithm that is not allowed.');
    }
    const { requiredTokenType } = this.header;
    if (requiredTokenType !== undefined && String(header.typ).toLowerCase() !== requiredTokenType.toLowerCase()) {
      throw new InvalidTokenError(...CLAIM_REASONS.typ);
    }
  }
}
