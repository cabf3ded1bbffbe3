import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { McpOAuthConfigError } from '../config/mcp-oauth-config.error.js';
import { MCP_OAUTH_OPTIONS, type ResolvedMcpOAuthOptions } from '../config/resolved-options.js';
import { normalizeRoutePath } from '../http/request-path.js';

/**
 * True for a handler Nest's router registered: Nest copies the controller method's metadata (`path`, `method`) onto
 * the function it hands the HTTP adapter, so guards run for it. A handler registered on the adapter directly (such
 * as @rekog/mcp-nest's self-mounted transport) has none.
 */
function isNestRouteHandler(handler: unknown): boolean {
  return (
    typeof handler === 'function' && Reflect.hasMetadata('path', handler) && Reflect.hasMetadata('method', handler)
  );
}

interface ExpressLayer {
  route?: { path?: unknown; stack?: Array<{ handle?: unknown; method?: string }> };
  match?(path: string): boolean;
}

interface RouteFound {
  method: string;
  guarded: boolean;
}

/**
 * Refuses to start when the MCP path is served by a handler the guard does not cover: a route registered on the HTTP
 * adapter outside Nest's router, such as @rekog/mcp-nest's transport mounting itself (it does so unless a Nest
 * controller claims its handlers), which then runs before Nest's router, guards and body parser. Such an endpoint
 * would accept every call while everything looks configured. Also warns when no Nest route serves the MCP path at
 * all (a `mcpPath` that does not name where MCP is served weakens the guard's checks of MCP requests).
 *
 * Express: the router's route layers are matched against the MCP path with Express's own matcher at bootstrap (a
 * route registered later sits after Nest's not-found handler and is never reached). Fastify: every route is seen as
 * it is added (an `onRoute` hook set as soon as the adapter exists; Fastify refuses routes once listening).
 * `allowUnguardedMcpPath: true` switches the refusal off for apps that protect that route another way.
 */
@Injectable()
export class McpRouteOwnership implements OnApplicationBootstrap {
  private readonly mcpPath: string;
  private readonly fastifyRoutes: RouteFound[] = [];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(MCP_OAUTH_OPTIONS) private readonly options: ResolvedMcpOAuthOptions,
  ) {
    this.mcpPath = normalizeRoutePath(options.mcpPath);
    adapterHost.init$.subscribe(() => this.watchFastify());
  }

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    const routes = adapter.getType() === 'express' ? this.expressRoutes() : this.fastifyRoutes;
    const foreign = routes.filter((route) => !route.guarded);
    if (foreign.length > 0 && !this.options.allowUnguardedMcpPath) {
      const listed = [...new Set(foreign.map((route) => route.method))].join(', ');
      throw new McpOAuthConfigError([
        `${this.options.mcpPath}: ${listed} ${this.options.mcpPath} is served by a handler registered on the HTTP adapter outside Nest's router, so no guard (and no body parser) runs for it: every MCP call would go through unauthenticated. With @rekog/mcp-nest, serve the MCP route from a Nest controller instead of the transport's self-mount: \`@Controller('mcp') class McpController extends McpHttpControllerFor(transport) {}\` (or extend StreamableHttpController with the MCP_HTTP_HANDLER provider); with the MCP SDK, use McpSdkController from 'nestjs-mcp-oauth/mcp-sdk'. If that route is protected another way, set allowUnguardedMcpPath: true.`,
      ]);
    }
    if (routes.length === 0) {
      new Logger('McpOAuth').warn(
        `No route of this app serves the MCP path "${this.options.mcpPath}" (mcpPath, or the path of resource): set mcpPath to the path your MCP controller is mounted on (global prefix included), so the guard reads MCP requests as the MCP server does.`,
      );
    }
  }

  /** Route layers of the Express router that match the MCP path, one entry per method handler. */
  private expressRoutes(): RouteFound[] {
    const app = this.adapterHost.httpAdapter.getInstance<{ router?: { stack?: ExpressLayer[] } }>();
    const found: RouteFound[] = [];
    for (const layer of app.router?.stack ?? []) {
      if (!layer.route || typeof layer.match !== 'function' || !layer.match(this.options.mcpPath)) continue;
      for (const handler of layer.route.stack ?? []) {
        found.push({ method: (handler.method ?? 'all').toUpperCase(), guarded: isNestRouteHandler(handler.handle) });
      }
    }
    return found;
  }

  /** Fastify: sees every route as it is added, including those added before the app initialises. */
  private watchFastify(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    const fastify = adapter.getInstance<{
      addHook(
        name: 'onRoute',
        hook: (route: { url: string; method: string | string[]; handler: unknown }) => void,
      ): void;
    }>();
    fastify.addHook('onRoute', (route) => {
      if (normalizeRoutePath(route.url) !== this.mcpPath) return;
      for (const method of [route.method].flat()) {
        this.fastifyRoutes.push({ method: method.toUpperCase(), guarded: isNestRouteHandler(route.handler) });
      }
    });
  }
}
