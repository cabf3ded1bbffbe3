import type { Scalekit } from '@scalekit-sdk/node';
import type { AuthInfo } from '../auth/auth-info.js';
import { authInfoFromClaims } from '../auth/claims-to-auth-info.js';
import { AuthorizationServerUnavailableError, InvalidTokenError } from '../guard/mcp-oauth.errors.js';
import { assertCompactJws } from './jwt-token-verifier.js';
import type { TokenVerifier } from './token-verifier.js';

/**
 * Verification through `Scalekit#validateToken` of `@scalekit-sdk/node` (the `'scalekit-sdk'` mode).
 * Issuers and audiences are always passed (the SDK checks neither by default), and `exp` / `sub` are required
 * here because the SDK accepts tokens without them. Known limits of the SDK (2.11) that this mode inherits and the
 * default `'jwt'` mode does not: keys are cached forever with no refetch for an unknown `kid` (key rotation needs a
 * restart), the key set is re-imported on every call (2-4x slower), no clock tolerance, no algorithm allow-list.
 */
export class ScalekitSdkTokenVerifier implements TokenVerifier {
  constructor(
    private readonly scalekit: Scalekit,
    private readonly issuers: string[],
    private readonly audiences: string[],
  ) {}

  async verify(token: string): Promise<AuthInfo> {
    assertCompactJws(token);
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
    if (typeof claims.exp !== 'number') throw new InvalidTokenError('missing_exp', 'The access token has no valid expiry (exp).');
    if (typeof claims.sub !== 'string' || claims.sub === '') {
      throw new InvalidTokenError('missing_sub', 'The access token has no subject (sub).');
    }
    return authInfoFromClaims(claims);
  }
}
