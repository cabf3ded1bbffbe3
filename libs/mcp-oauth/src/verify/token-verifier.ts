import type { AuthInfo } from '../auth/auth-info.js';

/**
 * Verifies a bearer access token (OAuth 2.1 §5.2; MCP Authorization: Token Handling) and returns what it says.
 *
 * Implementations throw {@link InvalidTokenError} for any token that must be refused (401) and
 * {@link AuthorizationServerUnavailableError} when the decision cannot be made because the authorization server is
 * unreachable (503). The guard never imports a vendor SDK: everything vendor-specific lives behind this interface.
 *
 * @example
 * { provide: TOKEN_VERIFIER, useValue: { verify: async (token) => myIntrospection(token) } }
 */
export interface TokenVerifier {
  verify(token: string): Promise<AuthInfo>;
}
