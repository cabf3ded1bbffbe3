export type { AuthInfo } from './auth/auth-info.js';
export { McpAuth } from './auth/mcp-auth.decorator.js';
export { authInfoFromClaims } from './auth/claims-to-auth-info.js';
export type {
  JwksOptions,
  McpOAuthModuleOptions,
  ResolvedMcpOAuthOptions,
  ScalekitOptions,
  VerifierOption,
} from './config/mcp-oauth.options.js';
export { isLoopbackHost } from './config/loopback.js';
export { McpOAuthConfigError } from './config/mcp-oauth-config.error.js';
export { protectedResourceMetadataUrl, resolveMcpOAuthOptions } from './config/resolve-options.js';
export { McpCorsMiddleware, MCP_ALLOWED_REQUEST_HEADERS, MCP_EXPOSED_HEADERS } from './cors/mcp-cors.middleware.js';
export type { McpOAuthEvent, McpOAuthEventType } from './events/mcp-oauth-event.js';
export { McpOAuthEvents } from './events/mcp-oauth-events.service.js';
export { AuthFailureLimiter, type AuthFailureLimit } from './guard/auth-failure-limiter.js';
export { extractBearerToken } from './guard/bearer-credentials.js';
export { McpOAuthGuard, type McpOAuthRequest, type McpOAuthResponse } from './guard/mcp-oauth.guard.js';
export {
  AuthorizationServerUnavailableError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  McpOAuthError,
  MissingCredentialsError,
} from './guard/mcp-oauth.errors.js';
export { buildBearerChallenge, type BearerChallenge } from './guard/www-authenticate.js';
export { McpTool } from './mcp/mcp-tool.decorator.js';
export { findToolCalls } from './mcp/tool-calls.js';
export { ToolScopeRegistry } from './mcp/tool-scope.registry.js';
export {
  AUTH_FAILURE_LIMITER,
  MCP_OAUTH_OPTIONS,
  PROTECTED_RESOURCE_WELL_KNOWN,
  SCALEKIT_CLIENT,
  TOKEN_VERIFIER,
} from './mcp-oauth.constants.js';
export { McpOAuthModule } from './mcp-oauth.module.js';
export {
  buildProtectedResourceMetadata,
  type ProtectedResourceMetadata,
} from './metadata/protected-resource-metadata.js';
export { Public } from './scopes/public.decorator.js';
export { RequireScopes } from './scopes/require-scopes.decorator.js';
export { readScopesFromClaims } from './scopes/scope-claims.js';
export { ScopeHierarchy } from './scopes/scope-hierarchy.js';
export { JwtTokenVerifier, type JwtTokenVerifierOptions } from './verify/jwt-token-verifier.js';
export { RemoteSigningKeys, type RemoteSigningKeysOptions } from './verify/remote-signing-keys.js';
export { ScalekitSdkTokenVerifier } from './verify/scalekit-sdk-token-verifier.js';
export type { TokenVerifier } from './verify/token-verifier.js';
export {
  VerifiedTokenCache,
  type VerifiedTokenCacheOptions,
  verifiedTokenCacheKey,
} from './verify/verified-token-cache.js';
