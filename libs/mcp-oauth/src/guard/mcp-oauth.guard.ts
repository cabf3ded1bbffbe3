import { type CanActivate, type ExecutionContext, HttpException, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { normalizeIp } from '@nestjs/throttler';
import type { AuthInfo } from '../auth/auth-info.js';
import { MCP_OAUTH_OPTIONS, type ResolvedMcpOAuthOptions } from '../config/resolved-options.js';
import { failureResponse } from '../errors/failure-response.js';
import {
  AuthorizationServerUnavailableError,
  ForbiddenOriginError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  MissingCredentialsError,
  TooManyFailedAuthenticationsError,
  UnknownToolError,
} from '../errors/failures.js';
import { McpOAuthFailure } from '../errors/mcp-oauth-failure.js';
import { boundedText, MCP_OAUTH_EVENTS, McpOAuthEvents } from '../events/mcp-oauth-events.js';
import { attachCaller, authorizedRequestOf } from '../http/authorized-request.js';
import { extractBearerToken } from '../http/bearer-credentials.js';
import { type CorrelationIds, correlationIdsFor } from '../http/correlation-id.js';
import {
  matchedRoutePathOf,
  type McpOAuthRequest,
  type McpOAuthResponse,
  nodeResponseOf,
  requestTargetOf,
} from '../http/http-request.js';
import { type McpRequestView, readMcpRequest } from '../http/mcp-request.js';
import { OriginPolicy } from '../http/origin-policy.js';
import { normalizeRoutePath, pathOfTarget } from '../http/request-path.js';
import {
  FAILED_AUTHENTICATION_LIMITER,
  type FailedAuthenticationLimiter,
} from '../limiter/failed-authentication-limiter.js';
import { readJsonRpcBody } from '../mcp/json-rpc-body.js';
import { ToolScopeRegistry } from '../mcp/tool-scope.registry.js';
import { mcpNestUserOf, rawRequestOfMcpNestCall } from '../mcp-nest/mcp-nest-user.js';
import { protectedResourceMetadataUrl } from '../metadata/protected-resource-metadata-url.js';
import { ScopeHierarchy } from '../scopes/scope-hierarchy.js';
import { isJoseError, verificationFailure } from '../verify/jose-errors.js';
import { type TokenVerifier, TOKEN_VERIFIER } from '../verify/token-verifier.js';
import { VERIFIED_TOKENS, type VerifiedTokenCache } from '../verify/verified-token-cache.js';
import { type RouteMetadata, RouteMetadataReader } from './route-metadata.js';

/** One request, as extracted: the token, what it calls, and every scope that needs. */
export interface McpOAuthCall {
  token: string;
  /** Tools of every `tools/call`, in order, repeats included. */
  toolCalls: readonly string[];
  /** Each tool once. */
  tools: readonly string[];
  /** The route's `@RequireScopes` and the scopes of every tool called. */
  requiredScopes: readonly string[];
}

const NO_TOOLS: McpRequestView = Object.freeze({ toolCalls: [], tools: [] });

/**
 * The global guard (registered as `APP_GUARD` unless the module is told otherwise): every route needs a valid bearer
 * access token unless marked {@link Public}. One request goes through these steps, in this order:
 *
 * 1. **extract**: read the request as the MCP server will execute it (`Origin`, request target, JSON body, batch,
 *    the 2026 `Mcp-*` headers; refused before anything runs where the two could read it differently), the bearer
 *    token from the Authorization header only (RFC 6750 §2.1), and the scopes the call needs: the route's
 *    `@RequireScopes` plus those of every tool it calls (an unknown tool is refused, by default);
 * 2. **limit**: an address past its failed-authentication limit gets 429, unless its token verified before;
 * 3. **verify**: signature, `iss`, `aud`, `exp`... (401 `invalid_token`, or 503 when keys are unreachable);
 * 4. **authorize**: every scope needed, scope hierarchy applied, or 403 `insufficient_scope` listing them all;
 * 5. **attach**: the verified {@link AuthInfo} as `request.auth` (and what was authorized, for the MCP SDK wiring;
 *    mcp-nest's `request.user` when it serves tools);
 * 6. **audit**: one `tool_call` event per call once the response is done.
 *
 * A failure at any step is answered in one place ({@link failureResponse}): status, challenge, JSON body, event.
 * Subclass it and override the protected hooks (`clientAddress`, `requiredScopes`), then register the subclass with
 * `McpOAuthModule.forRoot({ ..., guard: MyGuard })`.
 */
@Injectable()
export class McpOAuthGuard implements CanActivate {
  private readonly routes: RouteMetadataReader;
  private readonly hierarchy: ScopeHierarchy;
  private readonly origins: OriginPolicy;
  private readonly mcpPath: string;
  private readonly metadataUrl: string;
  private readonly mcpRoutePatterns = new Map<string, boolean>();

  constructor(
    reflector: Reflector,
    @Inject(MCP_OAUTH_OPTIONS) protected readonly options: ResolvedMcpOAuthOptions,
    @Inject(TOKEN_VERIFIER) protected readonly verifier: TokenVerifier,
    protected readonly toolScopes: ToolScopeRegistry,
    @Inject(MCP_OAUTH_EVENTS) protected readonly events: McpOAuthEvents,
    @Optional() @Inject(FAILED_AUTHENTICATION_LIMITER) private readonly limiter: FailedAuthenticationLimiter | null,
    @Optional() @Inject(VERIFIED_TOKENS) private readonly verifiedTokens: VerifiedTokenCache | null,
  ) {
    this.routes = new RouteMetadataReader(reflector);
    this.hierarchy = new ScopeHierarchy(options.scopeHierarchy);
    this.origins = new OriginPolicy(options.resourceOrigin, options.allowedOrigins, options.allowLoopbackOrigins);
    this.mcpPath = normalizeRoutePath(options.mcpPath);
    this.metadataUrl = protectedResourceMetadataUrl(options.resource);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.routes.of(context);
    if (context.getType() !== 'http') return route.isPublic || this.isAuthorizedToolCall(context);
    if (route.isPublic) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<McpOAuthRequest>();
    const response = http.getResponse<McpOAuthResponse>();
    const ids = this.correlate(request, response);
    try {
      const call = this.extract(request, route);
      this.limit(request, call);
      const auth = await this.verify(call);
      this.authorize(call, auth);
      this.attach(request, auth);
      this.audit(call, auth, ids, response);
      return true;
    } catch (error) {
      const failure = this.asFailure(error);
      this.countFailedAuthentication(failure, request);
      throw this.refuse(failure, request, response, ids);
    }
  }

  /** Step 1: what the request calls, with which token, needing which scopes. */
  protected extract(request: McpOAuthRequest, route: RouteMetadata): McpOAuthCall {
    const mcpEndpoint = this.isMcpEndpoint(request);
    if (mcpEndpoint) this.checkOrigin(request);
    const token = extractBearerToken(request);
    const mcp = mcpEndpoint ? readMcpRequest(request) : this.readOtherRoute(request);
    const requiredScopes = this.requiredScopes(route.scopes, mcp.tools);
    if (token === undefined) throw new MissingCredentialsError(requiredScopes);
    return { token, toolCalls: mcp.toolCalls, tools: mcp.tools, requiredScopes };
  }

  /**
   * Every scope a call needs: the route's `@RequireScopes` plus those of each tool it calls. A tool the registry
   * does not know is refused with `unknownTools: 'deny'` (the default).
   */
  protected requiredScopes(routeScopes: readonly string[], tools: readonly string[]): readonly string[] {
    if (tools.length === 0) return routeScopes;
    const scopes = new Set(routeScopes);
    for (const tool of tools) {
      if (this.options.unknownTools === 'deny' && !this.toolScopes.knows(tool)) throw new UnknownToolError(tool);
      for (const scope of this.toolScopes.scopesFor(tool)) scopes.add(scope);
    }
    return [...scopes];
  }

  /** Step 2: 429 for an address past its failed-authentication limit, unless this token verified before. */
  protected limit(request: McpOAuthRequest, call: McpOAuthCall): void {
    if (!this.limiter || this.limiter.idle) return;
    const retryAfterSeconds = this.limiter.retryAfterSeconds(this.clientAddress(request));
    if (retryAfterSeconds === 0 || this.verifiedTokens?.has(call.token)) return;
    throw new TooManyFailedAuthenticationsError(retryAfterSeconds);
  }

  /**
   * Step 3: the verifier's answer. jose's errors thrown by a custom verifier are mapped to their `invalid_token`
   * reasons; anything else unexpected is logged and refused as 401 (fail closed).
   */
  protected async verify(call: McpOAuthCall): Promise<AuthInfo> {
    try {
      return await this.verifier.verify(call.token);
    } catch (error) {
      throw isJoseError(error) ? verificationFailure(error) : error;
    }
  }

  /** Step 4: every scope the call needs, the hierarchy applied (MCP Scope Challenge Handling). */
  protected authorize(call: McpOAuthCall, auth: AuthInfo): void {
    if (call.requiredScopes.length === 0) return;
    const missing = this.hierarchy.missingScopes(auth.scopes, call.requiredScopes);
    if (missing.length === 0) return;
    throw new InsufficientScopeError(call.requiredScopes, missing, {
      subject: auth.subject,
      clientId: auth.clientId,
      tools: call.tools,
    });
  }

  /**
   * Step 5: the caller for handlers (`@McpAuth()`, `request.auth`; on Fastify also on the Node request, where the MCP
   * SDK's `toNodeHandler` reads it), what was authorized for the MCP SDK wiring, and mcp-nest's `request.user` when
   * it serves tools. The token itself is never attached.
   */
  protected attach(request: McpOAuthRequest, auth: AuthInfo): void {
    const user = this.toolScopes.servedByMcpNest ? mcpNestUserOf(auth, this.hierarchy.expand(auth.scopes)) : undefined;
    attachCaller(request, auth, user);
  }

  /** Step 6: one `tool_call` event per call of the request, once its response is finished or abandoned. */
  protected audit(call: McpOAuthCall, auth: AuthInfo, ids: CorrelationIds, response: McpOAuthResponse): void {
    if (call.toolCalls.length === 0) return;
    const started = performance.now();
    const node = nodeResponseOf(response);
    // 'close' follows 'finish' on a completed response, and comes alone when the client went away first.
    node.once('close', () => {
      const status = node.statusCode;
      const outcome = !node.writableFinished ? 'aborted' : status >= 200 && status < 300 ? 'completed' : 'failed';
      const durationMs = Math.round(performance.now() - started);
      for (const tool of call.toolCalls) {
        this.events.emit({
          type: 'tool_call',
          tool: boundedText(tool),
          subject: auth.subject,
          clientId: auth.clientId,
          grantedScopes: [...auth.scopes],
          outcome,
          status,
          durationMs,
          ...ids,
        });
      }
    });
  }

  /**
   * The address failures are counted against: the framework's `request.ip` (which honours Express's `trust proxy` /
   * Fastify's `trustProxy`), IPv6 grouped by /64.
   */
  protected clientAddress(request: McpOAuthRequest): string {
    return normalizeIp(request.ip ?? request.raw?.socket.remoteAddress ?? 'unknown');
  }

  /**
   * Other transports (WebSocket, RPC) carry no bearer header this guard can read: only `@Public()` handlers pass,
   * and the tool calls of an HTTP request this guard already authorized (mcp-nest runs global guards again around
   * each tool method when the MCP microservice inherits the app's configuration).
   */
  private isAuthorizedToolCall(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc') return false;
    const raw = rawRequestOfMcpNestCall(context.switchToRpc().getContext());
    return raw !== undefined && authorizedRequestOf(raw as McpOAuthRequest) !== undefined;
  }

  /** A server-generated correlation id for the request, sent back as `X-Request-Id`. */
  private correlate(request: McpOAuthRequest, response: McpOAuthResponse): CorrelationIds {
    const ids = correlationIdsFor(request.headers);
    request.correlationId = ids.correlationId;
    nodeResponseOf(response).setHeader('X-Request-Id', ids.correlationId);
    return ids;
  }

  /**
   * True for the MCP endpoint, on the path the router matched: the matched route's path, or the request target's
   * path as a router reads it (either one equal to `mcpPath` is enough).
   */
  private isMcpEndpoint(request: McpOAuthRequest): boolean {
    const routePath = matchedRoutePathOf(request);
    if (routePath !== undefined && this.isMcpRoutePattern(routePath)) return true;
    return normalizeRoutePath(pathOfTarget(requestTargetOf(request))) === this.mcpPath;
  }

  /** Whether a route pattern (`/mcp`, the app's own declaration, not request data) is the MCP path; once per pattern. */
  private isMcpRoutePattern(pattern: string): boolean {
    let isMcp = this.mcpRoutePatterns.get(pattern);
    if (isMcp === undefined) {
      isMcp = normalizeRoutePath(pattern) === this.mcpPath;
      this.mcpRoutePatterns.set(pattern, isMcp);
    }
    return isMcp;
  }

  /** The MCP endpoint refuses a present `Origin` it does not allow, before anything else (DNS rebinding). */
  private checkOrigin(request: McpOAuthRequest): void {
    const origin = request.headers.origin;
    if (origin !== undefined && !this.origins.allows(origin)) throw new ForbiddenOriginError();
  }

  /** Other routes: a parsed JSON body that calls MCP tools still needs their scopes (defence in depth). */
  private readOtherRoute(request: McpOAuthRequest): McpRequestView {
    const body = request.body;
    if (typeof body !== 'object' || body === null) return NO_TOOLS;
    const { toolCalls } = readJsonRpcBody(body);
    return toolCalls.length === 0 ? NO_TOOLS : { toolCalls, tools: [...new Set(toolCalls)] };
  }

  /** The library's failures as they are; anything else is a bug (in a verifier or here): logged, refused as 401. */
  private asFailure(error: unknown): McpOAuthFailure {
    if (error instanceof McpOAuthFailure) return error;
    this.events.reportUnexpected('mcp_oauth.unexpected_error', error);
    return new InvalidTokenError('invalid', 'The access token is invalid.');
  }

  /** Invalid tokens and credentials sent the wrong way count against the address; requests without them never do. */
  private countFailedAuthentication(failure: McpOAuthFailure, request: McpOAuthRequest): void {
    if (!this.limiter) return;
    const credentialFailure =
      failure instanceof InvalidTokenError || (failure instanceof InvalidRequestError && failure.aboutCredentials);
    if (credentialFailure) this.limiter.recordFailure(this.clientAddress(request));
  }

  /** The one place a failure becomes an answer: headers on the response, its event, the exception Nest sends. */
  private refuse(
    failure: McpOAuthFailure,
    request: McpOAuthRequest,
    response: McpOAuthResponse,
    ids: CorrelationIds,
  ): HttpException {
    const answer = failureResponse(failure, this.metadataUrl);
    const node = nodeResponseOf(response);
    for (const [name, value] of Object.entries(answer.headers)) node.setHeader(name, value);
    this.emitRefusal(failure, request, ids);
    return new HttpException(answer.body, answer.status);
  }

  private emitRefusal(failure: McpOAuthFailure, request: McpOAuthRequest, ids: CorrelationIds): void {
    const path = boundedText(pathOfTarget(requestTargetOf(request)));
    if (failure instanceof InsufficientScopeError) {
      this.events.emit({
        type: 'step_up_challenged',
        subject: failure.caller?.subject ?? 'unknown',
        clientId: failure.caller?.clientId,
        requiredScopes: [...failure.requiredScopes],
        missingScopes: [...failure.missingScopes],
        tools: (failure.caller?.tools ?? []).map(boundedText),
        path,
        ...ids,
      });
    } else if (failure instanceof TooManyFailedAuthenticationsError) {
      this.events.emit({ type: 'rate_limited', retryAfterSeconds: failure.retryAfterSeconds, path, ...ids });
    } else if (failure instanceof AuthorizationServerUnavailableError) {
      const jwksUri = this.options.verification.mode === 'jwt' ? this.options.verification.jwksUri : 'n/a';
      this.events.emit({ type: 'authorization_server_unavailable', jwksUri, error: failure.message, ...ids });
    } else {
      this.events.emit({
        type: 'denied',
        status: failure.status,
        error: failure.error,
        reason: failure.reason,
        method: boundedText(request.method),
        path,
        ...ids,
      });
    }
  }
}
