import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthInfo } from '../auth/auth-info.js';
import type { ResolvedMcpOAuthOptions } from '../config/mcp-oauth.options.js';
import { MCP_OAUTH_OPTIONS, PUBLIC_ROUTE_METADATA, REQUIRED_SCOPES_METADATA, TOKEN_VERIFIER } from '../mcp-oauth.constants.js';
import { findToolCalls } from '../mcp/tool-calls.js';
import { ToolScopeRegistry } from '../mcp/tool-scope.registry.js';
import { ScopeHierarchy } from '../scopes/scope-hierarchy.js';
import type { TokenVerifier } from '../verify/token-verifier.js';
import { toInvalidTokenError } from '../verify/jwt-token-verifier.js';
import { type CredentialSource, extractBearerToken } from './bearer-credentials.js';
import {
  AuthorizationServerUnavailableError,
  InsufficientScopeError,
  InvalidTokenError,
  McpOAuthError,
  MissingCredentialsError,
} from './mcp-oauth.errors.js';
import { buildBearerChallenge } from './www-authenticate.js';

/** The request as the guard sees it: Node's message plus what Express parsed, and `auth` once verified. */
export interface McpOAuthRequest extends CredentialSource {
  method: string;
  auth?: AuthInfo;
}

interface HeaderWriter {
  setHeader(name: string, value: string): unknown;
}

/**
 * The global guard (registered as `APP_GUARD`): every route needs a valid bearer access token unless marked
 * {@link Public}. In the order of MCP Authorization and RFC 6750:
 * 1. extract the token from the Authorization header only (query/body/duplicate -> 400 `invalid_request`);
 * 2. none -> 401 with a challenge carrying `resource_metadata` and no `error`;
 * 3. verify (signature, `iss`, `aud`, `exp`...) -> 401 `invalid_token`, or 503 when keys are unreachable;
 * 4. required scopes = `@RequireScopes` of class and handler ∪ scopes of every MCP tool the body calls;
 *    missing any (hierarchy applied) -> 403 `insufficient_scope` listing every scope needed;
 * 5. attach {@link AuthInfo} as `request.auth`.
 * CORS preflights (`OPTIONS`) are never challenged. Subclass and override the protected hooks to adapt it.
 */
@Injectable()
export class McpOAuthGuard implements CanActivate {
  protected readonly logger = new Logger('McpOAuth');
  protected readonly hierarchy: ScopeHierarchy;
  private readonly routeScopesCache = new WeakMap<object, readonly string[]>();

  constructor(
    protected readonly reflector: Reflector,
    @Inject(MCP_OAUTH_OPTIONS) protected readonly options: ResolvedMcpOAuthOptions,
    @Inject(TOKEN_VERIFIER) protected readonly verifier: TokenVerifier,
    protected readonly toolScopes: ToolScopeRegistry,
  ) {
    this.hierarchy = new ScopeHierarchy(options.scopeHierarchy);
    if (options.dangerouslyDisableAuthForBenchmarks) {
      this.logger.warn(
        '!!! AUTHENTICATION IS DISABLED (dangerouslyDisableAuthForBenchmarks): every request runs as an anonymous caller with every scope. Benchmarking only; never deploy this. !!!',
      );
    }
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<McpOAuthRequest>();
    if (request.method === 'OPTIONS' || this.isPublic(context)) return true;
    if (this.options.dangerouslyDisableAuthForBenchmarks) {
      request.auth = BENCHMARK_CALLER;
      return true;
    }
    const response = http.getResponse<HeaderWriter>();

    let requiredScopes: readonly string[] = [];
    try {
      const token = extractBearerToken(request);
      requiredScopes = this.requiredScopes(context, request);
      if (token === undefined) throw new MissingCredentialsError();
      const auth = await this.verifyToken(token);
      const missing = this.hierarchy.missingScopes(auth.scopes, requiredScopes);
      if (missing.length > 0) throw new InsufficientScopeError(requiredScopes, missing);
      request.auth = auth;
      return true;
    } catch (error) {
      throw this.deny(error, request, response, requiredScopes);
    }
  }

  /** True when the route or its controller is marked {@link Public}. */
  protected isPublic(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, [context.getHandler(), context.getClass()]) === true;
  }

  /** Every scope this request needs: the route's `@RequireScopes` plus those of each MCP tool it calls. */
  protected requiredScopes(context: ExecutionContext, request: McpOAuthRequest): readonly string[] {
    const routeScopes = this.routeScopes(context);
    const tools = findToolCalls(request.body, request.headers);
    if (tools.length === 0) return routeScopes;
    const scopes = new Set(routeScopes);
    for (const tool of tools) for (const scope of this.toolScopes.scopesFor(tool)) scopes.add(scope);
    return [...scopes];
  }

  /** Verifies the token; anything unexpected a verifier throws is an invalid token (fail closed), and logged. */
  protected async verifyToken(token: string): Promise<AuthInfo> {
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof McpOAuthError)) {
        this.logger.error({ event: 'mcp_oauth.verifier_error', error: error instanceof Error ? error.name : typeof error });
      }
      throw toInvalidTokenError(error);
    }
  }

  /** Turns a failure into the HTTP answer of DESIGN's behaviour table: status, challenge, JSON body. */
  protected deny(
    error: unknown,
    request: McpOAuthRequest,
    response: HeaderWriter,
    requiredScopes: readonly string[],
  ): HttpException {
    const failure = error instanceof McpOAuthError ? error : toInvalidTokenError(error);
    response.setHeader('Cache-Control', 'no-store');
    if (failure instanceof AuthorizationServerUnavailableError) {
      response.setHeader('Retry-After', String(failure.retryAfterSeconds));
      this.logger.warn({ event: 'mcp_oauth.authorization_server_unavailable', path: pathOf(request) });
      return new HttpException({ error: 'temporarily_unavailable', error_description: failure.message }, 503);
    }
    const challengeScopes = failure instanceof InsufficientScopeError ? failure.requiredScopes : requiredScopes;
    response.setHeader(
      'WWW-Authenticate',
      buildBearerChallenge({
        resourceMetadataUrl: this.options.resourceMetadataUrl,
        error: failure.errorCode,
        errorDescription: failure.message,
        scopes: failure instanceof MissingCredentialsError || failure instanceof InsufficientScopeError ? challengeScopes : undefined,
      }),
    );
    if (failure.errorCode !== undefined) {
      this.logger.log({
        event: failure instanceof InsufficientScopeError ? 'mcp_oauth.step_up_challenged' : 'mcp_oauth.denied',
        status: failure.status,
        error: failure.errorCode,
        reason: failure instanceof InvalidTokenError ? failure.reason : undefined,
        path: pathOf(request),
      });
    }
    return new HttpException(
      { error: failure.errorCode ?? 'unauthorized', error_description: failure.message },
      failure.status,
    );
  }

  private routeScopes(context: ExecutionContext): readonly string[] {
    const handler = context.getHandler();
    let scopes = this.routeScopesCache.get(handler);
    if (!scopes) {
      scopes = this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_METADATA, [handler, context.getClass()]) ?? [];
      this.routeScopesCache.set(handler, scopes);
    }
    return scopes;
  }
}

/** The caller every request runs as when authentication is disabled for benchmarks. */
const BENCHMARK_CALLER: AuthInfo = Object.freeze({
  subject: 'benchmark-anonymous',
  clientId: undefined,
  scopes: Object.freeze(['*']),
  expiresAt: Number.MAX_SAFE_INTEGER,
  audience: Object.freeze([]),
  issuer: 'none',
  claims: Object.freeze({}),
});

function pathOf(request: McpOAuthRequest): string {
  return (request.url ?? '').split('?')[0];
}
