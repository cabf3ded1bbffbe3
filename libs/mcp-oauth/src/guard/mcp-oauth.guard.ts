import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  Logger,
  Optional,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthInfo } from '../auth/auth-info.js';
import type { ResolvedMcpOAuthOptions } from '../config/mcp-oauth.options.js';
import { McpOAuthEvents } from '../events/mcp-oauth-events.service.js';
import {
  AUTH_FAILURE_LIMITER,
  MCP_OAUTH_OPTIONS,
  PUBLIC_ROUTE_METADATA,
  REQUIRED_SCOPES_METADATA,
  TOKEN_VERIFIER,
} from '../mcp-oauth.constants.js';
import { findToolCalls, listToolCalls } from '../mcp/tool-calls.js';
import { ToolScopeRegistry } from '../mcp/tool-scope.registry.js';
import { ScopeHierarchy } from '../scopes/scope-hierarchy.js';
import type { TokenVerifier } from '../verify/token-verifier.js';
import { toInvalidTokenError } from '../verify/jwt-token-verifier.js';
import type { AuthFailureLimiter } from './auth-failure-limiter.js';
import { type CredentialSource, extractBearerToken } from './bearer-credentials.js';
import { correlationIdFor } from './correlation-id.js';
import {
  AuthorizationServerUnavailableError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  McpOAuthError,
  MissingCredentialsError,
} from './mcp-oauth.errors.js';
import { buildBearerChallenge } from './www-authenticate.js';

/** The request as the guard sees it: Node's message plus what Express parsed, and what the guard attaches. */
export interface McpOAuthRequest extends CredentialSource {
  method: string;
  ip?: string;
  socket?: { remoteAddress?: string };
  /** The verified caller, once the guard let the request through. */
  auth?: AuthInfo;
  /** Correlation id of the request (also sent back as `X-Request-Id`). */
  correlationId?: string;
}

/** The response as the guard uses it. */
export interface McpOAuthResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  once(event: 'close', listener: () => void): unknown;
  writableFinished?: boolean;
}

/** What decorators say about a route. */
interface RouteMetadata {
  isPublic: boolean;
  scopes: readonly string[];
}

/** What the guard learned about one request, for its answer and its events. */
export interface McpOAuthRequestState {
  correlationId: string;
  /** Tools the request calls, each once (scopes). */
  tools: string[];
  /** Every `tools/call` of the request, in order, repeats included (audit). */
  toolCalls: string[];
  requiredScopes: readonly string[];
}

/**
 * The global guard (registered as `APP_GUARD`): every route needs a valid bearer access token unless marked
 * {@link Public}. In the order of MCP Authorization and RFC 6750:
 * 1. extract the token from the Authorization header only (query/body/duplicate -> 400 `invalid_request`);
 * 2. none -> 401 with a challenge carrying `resource_metadata` and no `error`;
 * 3. an address over its failed-authentication limit -> 429 before any cryptography;
 * 4. verify (signature, `iss`, `aud`, `exp`...) -> 401 `invalid_token`, or 503 when keys are unreachable;
 * 5. required scopes = `@RequireScopes` of class and handler ∪ scopes of every MCP tool the body calls;
 *    missing any (hierarchy applied) -> 403 `insufficient_scope` listing every scope needed;
 * 6. attach {@link AuthInfo} as `request.auth`; audit each `tools/call` once its response is done.
 * CORS preflights to the MCP endpoint are answered by {@link McpCorsMiddleware} before any guard runs, so they are
 * never challenged. Subclass and override the protected hooks to adapt it.
 */
@Injectable()
export class McpOAuthGuard implements CanActivate {
  protected readonly logger = new Logger('McpOAuth');
  protected readonly hierarchy: ScopeHierarchy;
  /** `@Public` and `@RequireScopes` of class + handler, per class then handler (subclasses share inherited handlers). */
  private readonly routeMetadataCache = new WeakMap<object, WeakMap<object, RouteMetadata>>();

  constructor(
    protected readonly reflector: Reflector,
    @Inject(MCP_OAUTH_OPTIONS) protected readonly options: ResolvedMcpOAuthOptions,
    @Inject(TOKEN_VERIFIER) protected readonly verifier: TokenVerifier,
    protected readonly toolScopes: ToolScopeRegistry,
    protected readonly events: McpOAuthEvents,
    @Optional() @Inject(AUTH_FAILURE_LIMITER) protected readonly failureLimiter: AuthFailureLimiter | null = null,
  ) {
    this.hierarchy = new ScopeHierarchy(options.scopeHierarchy);
    if (options.dangerouslyDisableAuthForBenchmarks) {
      this.logger.warn(
        '!!! AUTHENTICATION IS DISABLED (dangerouslyDisableAuthForBenchmarks): every request runs as an anonymous caller with every scope. Benchmarking only; never deploy this. !!!',
      );
    }
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Other transports (WebSocket, RPC) carry no bearer header this guard can read: only @Public() ones pass.
    const route = this.routeMetadata(context);
    if (context.getType() !== 'http') return route.isPublic;
    // CORS preflights never get here on the MCP endpoint: McpCorsMiddleware answers them first (204, no challenge).
    if (route.isPublic) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<McpOAuthRequest>();
    if (this.options.dangerouslyDisableAuthForBenchmarks) {
      request.auth = BENCHMARK_CALLER;
      return true;
    }
    const response = http.getResponse<McpOAuthResponse>();
    const state: McpOAuthRequestState = {
      correlationId: correlationIdFor(request.headers),
      tools: [],
      toolCalls: [],
      requiredScopes: [],
    };
    request.correlationId = state.correlationId;
    response.setHeader('X-Request-Id', state.correlationId);

    try {
      const token = extractBearerToken(request);
      state.toolCalls = listToolCalls(request.body);
      state.tools = findToolCalls(request.body, request.headers, state.toolCalls);
      state.requiredScopes = this.requiredScopes(route.scopes, state.tools);
      if (token === undefined) throw new MissingCredentialsError();
      this.refuseIfRateLimited(request, response, state);
      const auth = await this.verifyToken(token);
      const missing = this.hierarchy.missingScopes(auth.scopes, state.requiredScopes);
      if (missing.length > 0) {
        this.events.emit({
          type: 'step_up_challenged',
          subject: auth.subject,
          clientId: auth.clientId,
          requiredScopes: [...state.requiredScopes],
          missingScopes: missing,
          tools: state.tools,
          path: pathOf(request),
          correlationId: state.correlationId,
        });
        throw new InsufficientScopeError(state.requiredScopes, missing);
      }
      request.auth = auth;
      if (state.tools.length > 0) this.auditToolCalls(auth, state, response);
      return true;
    } catch (error) {
      if (error instanceof HttpException) throw error;
      throw await this.deny(error, request, response, state);
    }
  }

  /** Every scope this request needs: the route's `@RequireScopes` plus those of each MCP tool it calls. */
  protected requiredScopes(routeScopes: readonly string[], tools: readonly string[]): readonly string[] {
    if (tools.length === 0) return routeScopes;
    const scopes = new Set(routeScopes);
    for (const tool of tools) for (const scope of this.toolScopes.scopesFor(tool)) scopes.add(scope);
    return [...scopes];
  }

  /** The client address failures are counted against (Express's `request.ip`, which honours `trust proxy`). */
  protected clientAddress(request: McpOAuthRequest): string {
    return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
  }

  /**
   * Verifies the token. Anything unexpected a verifier throws reaches {@link deny}, which logs it and answers
   * 401 `invalid_token` (fail closed).
   */
  protected verifyToken(token: string): Promise<AuthInfo> {
    return this.verifier.verify(token);
  }

  /** Turns a failure into its HTTP answer (the behaviour table in the README): status, challenge, JSON body. */
  protected async deny(
    error: unknown,
    request: McpOAuthRequest,
    response: McpOAuthResponse,
    state: McpOAuthRequestState,
  ): Promise<HttpException> {
    if (!(error instanceof McpOAuthError)) {
      // A bug (in a verifier or here), not a client's mistake: fail closed (401), but say so in the logs (never the token).
      this.logger.error({
        event: 'mcp_oauth.unexpected_error',
        error: error instanceof Error ? error.name : typeof error,
      });
    }
    const failure = toInvalidTokenError(error);
    response.setHeader('Cache-Control', 'no-store');
    if (failure instanceof AuthorizationServerUnavailableError) {
      response.setHeader('Retry-After', String(failure.retryAfterSeconds));
      this.events.emit({
        type: 'authorization_server_unavailable',
        jwksUri: this.options.jwksUri ?? 'n/a',
        error: 'no signing key available for the token',
        correlationId: state.correlationId,
      });
      return new HttpException(
        { statusCode: 503, error: 'temporarily_unavailable', error_description: failure.message },
        503,
      );
    }
    const challengeScopes = failure instanceof MissingCredentialsError || failure instanceof InsufficientScopeError;
    response.setHeader(
      'WWW-Authenticate',
      buildBearerChallenge({
        resourceMetadataUrl: this.options.resourceMetadataUrl,
        error: failure.errorCode,
        errorDescription: failure.message,
        scopes: challengeScopes ? state.requiredScopes : undefined,
      }),
    );
    if (!(failure instanceof InsufficientScopeError)) {
      this.events.emit({
        type: 'denied',
        status: failure.status,
        error: failure.errorCode,
        reason: reasonOf(failure),
        method: request.method,
        path: pathOf(request),
        correlationId: state.correlationId,
      });
    }
    const failedAuthentication = failure instanceof InvalidTokenError || failure instanceof InvalidRequestError;
    if (this.failureLimiter && failedAuthentication && hasCredentials(request)) {
      await this.failureLimiter.recordFailure(this.clientAddress(request));
    }
    // Without credentials there is no RFC 6750 error code; the body then reads like Nest's own 401 ("Unauthorized"),
    // which older MCP clients look for before starting their login.
    return new HttpException(
      { statusCode: failure.status, error: failure.errorCode ?? 'Unauthorized', error_description: failure.message },
      failure.status,
    );
  }

  /** 429 with `Retry-After` for an address over its failed-authentication limit (checked before verification). */
  private refuseIfRateLimited(request: McpOAuthRequest, response: McpOAuthResponse, state: McpOAuthRequestState): void {
    if (!this.failureLimiter || this.failureLimiter.idle) return;
    const retryAfterSeconds = this.failureLimiter.blockedFor(this.clientAddress(request));
    if (retryAfterSeconds === 0) return;
    response.setHeader('Retry-After', String(retryAfterSeconds));
    response.setHeader('Cache-Control', 'no-store');
    this.events.emit({
      type: 'rate_limited',
      retryAfterSeconds,
      path: pathOf(request),
      correlationId: state.correlationId,
    });
    throw new HttpException(
      {
        statusCode: 429,
        error: 'too_many_requests',
        error_description: `Too many failed authentications from this address; retry in ${retryAfterSeconds} s.`,
      },
      429,
    );
  }

  /** Audit trail: one `tool_call` event per tool of the request, once its response is finished or abandoned. */
  private auditToolCalls(auth: AuthInfo, state: McpOAuthRequestState, response: McpOAuthResponse): void {
    const started = performance.now();
    const report = (aborted: boolean) => {
      const status = response.statusCode;
      const outcome = aborted ? 'aborted' : status >= 200 && status < 300 ? 'completed' : 'failed';
      for (const tool of state.toolCalls.length > 0 ? state.toolCalls : state.tools) {
        this.events.emit({
          type: 'tool_call',
          tool,
          subject: auth.subject,
          clientId: auth.clientId,
          grantedScopes: [...auth.scopes],
          outcome,
          status,
          durationMs: Math.round(performance.now() - started),
          correlationId: state.correlationId,
        });
      }
    };
    // 'close' follows 'finish' on a completed response, and comes alone when the client went away first.
    response.once('close', () => report(response.writableFinished !== true));
  }

  /** The route's `@Public` flag and `@RequireScopes` (class and handler merged), read once per controller and handler. */
  private routeMetadata(context: ExecutionContext): RouteMetadata {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.routeMetadataCache.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.routeMetadataCache.set(controller, byHandler);
    }
    let metadata = byHandler.get(handler);
    if (!metadata) {
      const targets = [handler, controller];
      metadata = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, targets) === true,
        scopes: this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_METADATA, targets) ?? [],
      };
      byHandler.set(handler, metadata);
    }
    return metadata;
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

/** Any credential presented: an Authorization header, or an `access_token` in the query or a form body. */
function hasCredentials(request: McpOAuthRequest): boolean {
  if (request.headers.authorization !== undefined) return true;
  if ((request.url ?? '').includes('access_token')) return true;
  return typeof request.body === 'object' && request.body !== null && 'access_token' in request.body;
}

function reasonOf(failure: McpOAuthError): string {
  if (failure instanceof InvalidTokenError) return failure.reason;
  if (failure instanceof MissingCredentialsError) return 'missing_credentials';
  return 'invalid_request';
}

function pathOf(request: McpOAuthRequest): string {
  return (request.url ?? '').split('?')[0];
}
