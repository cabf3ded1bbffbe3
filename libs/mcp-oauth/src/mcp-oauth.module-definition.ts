import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { McpOAuthModuleOptions } from './config/mcp-oauth.options.js';

/**
 * `forRoot(options)` / `forRootAsync({ imports, inject, useFactory })`, global by default (`isGlobal: false` to
 * scope it to the importing module).
 */
export const { ConfigurableModuleClass: McpOAuthConfigurableModule, MODULE_OPTIONS_TOKEN: MCP_OAUTH_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<McpOAuthModuleOptions>({ moduleName: 'McpOAuth' })
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
