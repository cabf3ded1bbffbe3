import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MCP_OAUTH_OPTIONS } from './config/resolved-options.js';
import { McpCorsMiddleware } from './cors/mcp-cors.middleware.js';
import { MCP_OAUTH_EVENTS } from './events/mcp-oauth-events.js';
import { McpOAuthGuard } from './guard/mcp-oauth.guard.js';
import { FAILED_AUTHENTICATION_LIMITER } from './limiter/failed-authentication-limiter.js';
import { McpRouteOwnership } from './discovery/mcp-route-ownership.js';
import { ToolScopeExplorer } from './discovery/tool-scope.explorer.js';
import { ToolScopeRegistry } from './mcp/tool-scope.registry.js';
import { McpOAuthConfigurableModule } from './mcp-oauth.module-definition.js';
import { MCP_OAUTH_PROVIDERS } from './mcp-oauth.providers.js';
import { ProtectedResourceMetadataRoutes } from './metadata/protected-resource-metadata.routes.js';
import { SCALEKIT_CLIENT } from './scalekit/scalekit-client.token.js';
import { TOKEN_VERIFIER } from './verify/token-verifier.js';
import { VERIFIED_TOKENS } from './verify/verified-token-cache.js';

/**
 * Makes a NestJS app an OAuth 2.1 protected resource for MCP (MCP Authorization, 2025-11-25 and 2026-07-28):
 * - serves RFC 9728 metadata at `/.well-known/oauth-protected-resource[/<resource path>]`;
 * - registers {@link McpOAuthGuard} globally (or your subclass, or none: see {@link McpOAuthModuleExtras}): every
 *   route needs a valid bearer token unless `@Public()`, with RFC 6750 challenges and per-tool 403 step-up;
 * - answers CORS preflights of the MCP endpoint and exposes `WWW-Authenticate` to browsers;
 * - offers the {@link TokenVerifier} (`@InjectTokenVerifier()`), the `Scalekit` client (`@InjectScalekitClient()`)
 *   and the {@link ToolScopeRegistry} for injection.
 *
 * @example
 * McpOAuthModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({
 *     resource: config.getOrThrow('MCP_SERVER_URL'),
 *     scalekit: { environmentUrl: config.getOrThrow('SCALEKIT_ENVIRONMENT_URL'), resourceId: config.getOrThrow('SCALEKIT_RESOURCE_ID') },
 *   }),
 * })
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    ...MCP_OAUTH_PROVIDERS,
    ToolScopeRegistry,
    ToolScopeExplorer,
    ProtectedResourceMetadataRoutes,
    McpRouteOwnership,
    McpCorsMiddleware,
    McpOAuthGuard,
  ],
  exports: [
    TOKEN_VERIFIER,
    SCALEKIT_CLIENT,
    ToolScopeRegistry,
    McpOAuthGuard,
    // What McpOAuthGuard needs, so apps can apply it themselves (`guard: false`) or subclass it.
    MCP_OAUTH_OPTIONS,
    MCP_OAUTH_EVENTS,
    FAILED_AUTHENTICATION_LIMITER,
    VERIFIED_TOKENS,
  ],
})
export class McpOAuthModule extends McpOAuthConfigurableModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Every path and method, OPTIONS and unknown routes included, on Express and Fastify alike (a path-to-regexp
    // wildcard); the middleware picks the MCP path itself.
    consumer.apply(McpCorsMiddleware).forRoutes('{*path}');
  }
}
