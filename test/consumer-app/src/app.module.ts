import { Inject, Injectable, Module } from '@nestjs/common';
import { InjectScalekitClient, McpOAuthModule, type McpOAuthModuleOptions } from 'nestjs-mcp-oauth';
import { ScopeHierarchy } from 'nestjs-mcp-oauth/verifiers';
import { McpController } from './mcp.controller.js';
import { TodoTools } from './todo.tools.js';

/** `todo:write` implies `todo:read` (checked at start with the public building block). */
const SCOPE_HIERARCHY = { 'todo:write': ['todo:read'] };
if (!new ScopeHierarchy(SCOPE_HIERARCHY).expand(['todo:write']).has('todo:read')) throw new Error('scope hierarchy');

/** The module's options from the environment: the Scalekit preset, or any issuer's JWKS (`AUTH_MODE=jwks`). */
export function optionsFromEnv(env: NodeJS.ProcessEnv): McpOAuthModuleOptions {
  const resource = String(env.MCP_SERVER_URL);
  const issuer = String(env.ISSUER_URL);
  if (env.AUTH_MODE === 'jwks') {
    return { resource, jwks: { issuer, jwksUri: `${issuer}/keys` }, scopeHierarchy: SCOPE_HIERARCHY };
  }
  return {
    resource,
    scalekit: { environmentUrl: issuer, resourceId: String(env.SCALEKIT_RESOURCE_ID) },
    scopeHierarchy: SCOPE_HIERARCHY,
    resourceName: 'consumer app',
  };
}

/** Injects what the module provides, as an app would (the Scalekit client is `null` without API credentials). */
@Injectable()
export class ScalekitStatus {
  constructor(@InjectScalekitClient() private readonly scalekit: object | null) {}

  /** Whether the Scalekit API client was created. */
  get enabled(): boolean {
    return this.scalekit !== null;
  }
}

/** The consumer app: MCP endpoint, tools, and the OAuth module configured asynchronously. */
@Module({
  imports: [McpOAuthModule.forRootAsync({ useFactory: () => optionsFromEnv(process.env) })],
  controllers: [McpController],
  providers: [TodoTools, ScalekitStatus],
})
export class AppModule {
  constructor(@Inject(ScalekitStatus) readonly status: ScalekitStatus) {}
}
