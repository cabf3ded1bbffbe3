// 'nestjs-mcp-oauth/verifiers': building blocks for composing your own TokenVerifier (the module uses the same ones).
export { authInfoFromClaims, principalKey } from '../auth/claims-to-auth-info.js';
export { readScopesFromClaims } from '../scopes/scope-claims.js';
export { ScopeHierarchy } from '../scopes/scope-hierarchy.js';
export { AuthorizationServerUnavailableError, InvalidTokenError, type InvalidTokenReason } from '../errors/failures.js';
export { JwtTokenVerifier, type JwtTokenVerifierOptions } from './jwt-token-verifier.js';
export { RemoteSigningKeys, type RemoteSigningKeysOptions } from './remote-signing-keys.js';
export {
  ScalekitSdkTokenVerifier,
  type ScalekitSdkTokenRules,
  type ScalekitTokenValidator,
} from './scalekit-sdk-token-verifier.js';
export type { TokenVerifier } from './token-verifier.js';
export { VerifiedTokenCache, type VerifiedTokenCacheOptions } from './verified-token-cache.js';
