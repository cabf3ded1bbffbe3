import { Logger, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { Scalekit } from '@scalekit-sdk/node';
import type { McpOAuthModuleOptions, ResolvedMcpOAuthOptions } from './config/mcp-oauth.options.js';
import { isLoopbackHost } from './config/loopback.js';
import { resolveMcpOAuthOptions } from './config/resolve-options.js';
import { McpCorsMiddleware } from './cors/mcp-cors.middleware.js';
import { McpOAuthEvents } from './events/mcp-oauth-events.service.js';
import { AuthFailureLimiter } from './guard/auth-failure-limiter.js';
import { McpOAuthGuard } from './guard/mcp-oauth.guard.js';
import { AUTH_FAILURE_LIMITER, MCP_OAUTH_OPTIONS, SCALEKIT_CLIENT, TOKEN_VERIFIER } from './mcp-oauth.constants.js';
import { MCP_OAUTH_MODULE_OPTIONS, McpOAuthConfigurableModule } from './mcp-oauth.module-definition.js';
import { ProtectedResourceMetadataController } from './metadata/protected-resource-metadata.controller.js';
import { ToolScopeRegistry } from './mcp/tool-scope.registry.js';
import { ScopeExplorer } from './scopes/scope-explorer.js';
import { createScalekitClient } from './verify/create-scalekit-client.js';
import { createTokenVerifier } from './verify/create-token-verifier.js';

/**
 * Makes a NestJS app an OAuth 2.1 protected resource for MCP (MCP Authorization, 2025-11-25 and 2026-07-28):
 * - serves RFC 9728 metadata at `/.well-known/oauth-protected-resource[/<resource path>]`;
 * - registers {@link McpOAuthGuard} globally: every route needs a valid bearer token unless `@Public()`, with
 *   RFC 6750 challenges and per-tool `403 insufficient_scope`;
 * - answers CORS preflights and validates `Origin` on the MCP endpoint;
 * - offers the `Scalekit` client (`SCALEKIT_CLIENT`), the {@link TokenVerifier} (`TOKEN_VERIFIER`) and the
 *   {@link ToolScopeRegistry} for injection.
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
  controllers: [ProtectedResourceMetadataController],
  providers: [
    {
      provide: MCP_OAUTH_OPTIONS,
      inject: [MCP_OAUTH_MODULE_OPTIONS],
      useFactory: (options: McpOAuthModuleOptions) => {
        const resolved = resolveMcpOAuthOptions(options);
        const { protocol, hostname } = new URL(resolved.resource);
        if (protocol === 'http:' && !isLoopbackHost(hostname)) {
          new Logger('McpOAuth').warn(
            `resource "${resolved.resource}" uses http on a non-loopback host: MCP clients require HTTPS outside local development.`,
          );
        }
        return resolved;
      },
    },
    {
      provide: SCALEKIT_CLIENT,
      inject: [MCP_OAUTH_OPTIONS],
      useFactory: (options: ResolvedMcpOAuthOptions) => createScalekitClient(options),
    },
    McpOAuthEvents,
    {
      provide: TOKEN_VERIFIER,
      inject: [MCP_OAUTH_OPTIONS, SCALEKIT_CLIENT, McpOAuthEvents],
      useFactory: (options: ResolvedMcpOAuthOptions, scalekit: Scalekit | null, events: McpOAuthEvents) =>
        createTokenVerifier(options, scalekit, events),
    },
    ThrottlerStorageService,
    {
      provide: AUTH_FAILURE_LIMITER,
      inject: [MCP_OAUTH_OPTIONS, ThrottlerStorageService],
      useFactory: (options: ResolvedMcpOAuthOptions, storage: ThrottlerStorageService) =>
        options.authFailureLimit ? new AuthFailureLimiter(storage, options.authFailureLimit) : null,
    },
    ToolScopeRegistry,
    ScopeExplorer,
    McpCorsMiddleware,
    { provide: APP_GUARD, useClass: McpOAuthGuard },
  ],
  exports: [MCP_OAUTH_OPTIONS, SCALEKIT_CLIENT, TOKEN_VERIFIER, ToolScopeRegistry, McpOAuthEvents],
})
export class McpOAuthModule extends McpOAuthConfigurableModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Mounted with use('/'): runs for every path and method, OPTIONS included; the middleware picks the MCP path.
    consumer.apply(McpCorsMiddleware).forRoutes('/');
  }
}
