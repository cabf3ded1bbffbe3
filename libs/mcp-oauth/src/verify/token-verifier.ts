import { Inject } from '@nestjs/common';
import type { AuthInfo } from '../auth/auth-info.js';

/**
 * Verifies a bearer access token (OAuth 2.1 §5.2; MCP Authorization: Token Handling) and returns what it says.
 *
 * Implementations throw {@link InvalidTokenError} for any token that must be refused (401) and
 * {@link AuthorizationServerUnavailableError} when the decision cannot be made because the authorization server is
 * unreachable (503); anything else they throw is logged and answered 401 (fail closed). The guard never imports a
 * vendor SDK: everything vendor-specific lives behind this interface.
 *
 * @example
 * McpOAuthModule.forRoot({ resource, authorizationServers: [as], verifier: { verify: (token) => introspect(token) } })
 */
export interface TokenVerifier {
  verify(token: string): Promise<AuthInfo>;
}

/** Injection token of the {@link TokenVerifier} the guard uses (override it in tests with `overrideProvider`). */
export const TOKEN_VERIFIER = Symbol('nestjs-mcp-oauth:TokenVerifier');

/**
 * Injects the module's {@link TokenVerifier}.
 *
 * @example
 * constructor(\@InjectTokenVerifier() private readonly verifier: TokenVerifier) {}
 */
export const InjectTokenVerifier = (): PropertyDecorator & ParameterDecorator => Inject(TOKEN_VERIFIER);
