// The public API of nestjs-mcp-oauth: what an app needs to configure, decorate, inject and test.
// Building blocks for composing your own verifier: 'nestjs-mcp-oauth/verifiers'. Test helpers: 'nestjs-mcp-oauth/testing'.

// Configure
export { McpOAuthModule } from './mcp-oauth.module.js';
export type { McpOAuthModuleExtras } from './mcp-oauth.module-definition.js';
export type {
  AuthFailureLimitOptions,
  JwksOptions,
  McpOAuthModuleOptions,
  ScalekitOptions,
  VerifierOption,
} from './config/mcp-oauth.options.js';
export { McpOAuthConfigError } from './config/mcp-oauth-config.error.js';
export { protectedResourceMetadataUrl } from './metadata/protected-resource-metadata-url.js';
export { isLoopbackHost } from './http/loopback.js';

// Decorate
export { RequireScopes } from './scopes/require-scopes.decorator.js';
export { Public } from './scopes/public.decorator.js';
export { McpTool } from './mcp/mcp-tool.decorator.js';
export { McpAuth } from './auth/mcp-auth.decorator.js';

// Inject (and subclass)
export type { AuthInfo } from './auth/auth-info.js';
export { McpOAuthGuard, type McpOAuthCall } from './guard/mcp-oauth.guard.js';
export type { McpOAuthRequest, McpOAuthResponse } from './http/http-request.js';
export { ToolScopeRegistry } from './mcp/tool-scope.registry.js';
export { InjectTokenVerifier, TOKEN_VERIFIER, type TokenVerifier } from './verify/token-verifier.js';
export { InjectScalekitClient, SCALEKIT_CLIENT } from './scalekit/scalekit-client.token.js';

// Observe and handle refusals
export type { McpOAuthEvent, McpOAuthEventType } from './events/mcp-oauth-event.js';
export type { McpOAuthReason } from './errors/mcp-oauth-failure.js';
export { AuthorizationServerUnavailableError, InvalidTokenError } from './errors/failures.js';
