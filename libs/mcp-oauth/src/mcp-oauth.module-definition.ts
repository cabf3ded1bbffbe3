import { ConfigurableModuleBuilder, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { McpOAuthModuleOptions } from './config/mcp-oauth.options.js';
import { MCP_OAUTH_OPTIONS, type ResolvedMcpOAuthOptions } from './config/resolved-options.js';
import { BenchmarkBypassGuard } from './guard/benchmark-bypass.guard.js';
import { McpOAuthGuard } from './guard/mcp-oauth.guard.js';

/** Module-level settings of `forRoot` / `forRootAsync`, given beside the options (they cannot come from a factory). */
export interface McpOAuthModuleExtras {
  /** Register the module globally. @default true */
  isGlobal?: boolean;
  /**
   * The guard registered as the global `APP_GUARD`: {@link McpOAuthGuard} (default), your subclass of it, or `false`
   * to register none and apply `McpOAuthGuard` yourself (`@UseGuards(McpOAuthGuard)` or your own `APP_GUARD`).
   * @default McpOAuthGuard
   */
  guard?: Type<McpOAuthGuard> | false;
}

/**
 * The global guard: the configured class, or the benchmark bypass when authentication is switched off for
 * benchmarks (so the production guard has no benchmark branch).
 */
function globalGuardProviders(guard: Type<McpOAuthGuard> | false | undefined): Provider[] {
  if (guard === false || guard === undefined) return [];
  return [
    ...(guard === McpOAuthGuard ? [] : [guard]),
    {
      provide: APP_GUARD,
      inject: [MCP_OAUTH_OPTIONS, guard],
      useFactory: (options: ResolvedMcpOAuthOptions, instance: McpOAuthGuard) =>
        options.dangerouslyDisableAuthForBenchmarks ? new BenchmarkBypassGuard() : instance,
    },
  ];
}

/**
 * `forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`, built with Nest's `ConfigurableModuleBuilder`;
 * global by default, registering {@link McpOAuthGuard} as `APP_GUARD` unless told otherwise.
 */
export const { ConfigurableModuleClass: McpOAuthConfigurableModule, MODULE_OPTIONS_TOKEN: MCP_OAUTH_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<McpOAuthModuleOptions>({ moduleName: 'McpOAuth' })
    .setClassMethodName('forRoot')
    .setExtras<McpOAuthModuleExtras>({ isGlobal: true, guard: McpOAuthGuard }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
      providers: [...(definition.providers ?? []), ...globalGuardProviders(extras.guard)],
    }))
    .build();
