import type { ThrottlerStorage } from '@nestjs/throttler';
import type { McpOAuthEvent } from '../events/mcp-oauth-event.js';
import type { TokenVerifier } from '../verify/token-verifier.js';

/** Scalekit settings: enough to derive the JWKS, the issuers, the audiences and the authorization server. */
export interface ScalekitOptions {
  /** Scalekit environment URL, e.g. `https://acme.scalekit.com` (`SCALEKIT_ENVIRONMENT_URL`). */
  environmentUrl: string;
  /** The MCP server's resource id in Scalekit, e.g. `res_123` (`SCALEKIT_RESOURCE_ID`). */
  resourceId: string;
  /** Scalekit API client id (`SCALEKIT_CLIENT_ID`); only needed to call Scalekit's APIs. */
  clientId?: string;
  /** Scalekit API client secret (`SCALEKIT_CLIENT_SECRET`); only needed to call Scalekit's APIs. */
  clientSecret?: string;
}

/** Settings of the generic JWKS verifier, for any standards-compliant authorization server. */
export interface JwksOptions {
  /** Accepted `iss` value(s), compared exactly. */
  issuer: string | string[];
  /** Where the authorization server publishes its signing keys (RFC 7517 JWK Set). */
  jwksUri: string;
}

/** Settings of the failed-authentication limiter. */
export interface AuthFailureLimitOptions {
  /** Failed authentications allowed per client address per window; `0` switches the limiter off. */
  limit: number;
  /** Window length, in seconds (also how long an address stays blocked). @default 60 */
  windowSeconds?: number;
  /**
   * Where counts are kept: any @nestjs/throttler `ThrottlerStorage` (for example `ThrottlerStorageRedisService` of
   * `@nest-lab/throttler-storage-redis`, so every instance shares one limit). When the storage fails, the limiter
   * fails open (logged), never a 5xx. @default in memory, per instance
   */
  storage?: ThrottlerStorage;
}

/**
 * How tokens are verified.
 * - `'jwt'` (default): the library's verifier (jose, cached keys, refetch on unknown `kid`), with the Scalekit
 *   preset when `scalekit` is set, else the `jwks` settings.
 * - `'scalekit-sdk'`: `Scalekit#validateToken` from `@scalekit-sdk/node` (see README for its known limits).
 * - any object with a `verify(token)` method: your own {@link TokenVerifier} (then also set `authorizationServers`,
 *   unless `scalekit` or `jwks` is set to derive it).
 */
export type VerifierOption = 'jwt' | 'scalekit-sdk' | TokenVerifier;

/**
 * Options of {@link McpOAuthModule}. Only `resource` and one of `scalekit` / `jwks` are required.
 *
 * @example
 * McpOAuthModule.forRoot({
 *   resource: 'https://mcp.example.com/mcp',
 *   scalekit: { environmentUrl: 'https://acme.scalekit.com', resourceId: 'res_123' },
 *   scopeHierarchy: { 'todo:write': ['todo:read'] },
 * })
 */
export interface McpOAuthModuleOptions {
  /**
   * Canonical URL of the MCP endpoint: the resource identifier (RFC 8707 / RFC 9728 `resource`) and the audience
   * tokens must carry. Absolute http(s) URL without fragment, e.g. `https://mcp.example.com/mcp`.
   */
  resource: string;
  /**
   * Path on which this app serves MCP, for `Origin` validation and CORS, when it differs from the path of `resource`
   * (e.g. behind a proxy that maps `https://example.com/api/mcp` to `/mcp`). @default the path of `resource`
   */
  mcpPath?: string;
  /** Scalekit preset (the default authorization server). */
  scalekit?: ScalekitOptions;
  /** Generic JWKS verifier settings (used when `scalekit` is not set). */
  jwks?: JwksOptions;
  /** Verification mode. @default 'jwt' */
  verifier?: VerifierOption;
  /**
   * `authorization_servers` advertised in the metadata (RFC 9728 §2). Derived from `scalekit`
   * (`{env}/resources/{resourceId}`) or the first `jwks.issuer` when omitted.
   */
  authorizationServers?: string[];
  /** Audiences accepted besides `resource` (Scalekit preset adds the resource id). */
  additionalAudiences?: string[];
  /** JWS algorithms accepted (RFC 8725 §3.1: an explicit allow-list). @default ['RS256'] */
  algorithms?: string[];
  /** Clock skew tolerated for `exp`, `nbf`, `iat`, in seconds (0 to 300). @default 30 */
  clockToleranceSeconds?: number;
  /** Required JWT `typ` header, e.g. `'at+jwt'` (RFC 9068). @default undefined (not checked) */
  requiredTokenType?: string;
  /**
   * Scope hierarchy: holding a key implies holding the listed scopes, transitively
   * (MCP 2026-07-28, Scope Challenge Handling). @example { 'todo:write': ['todo:read'] }
   */
  scopeHierarchy?: Record<string, string[]>;
  /** Scopes each MCP tool needs, by tool name (a tool-scope map). @example { create_todo: ['todo:write'] } */
  toolScopes?: Record<string, string[]>;
  /** Extra scopes to advertise in `scopes_supported` besides those derived from decorators and `toolScopes`. */
  scopesSupported?: string[];
  /** Human-readable `resource_name` for the metadata document (RFC 9728 §2). */
  resourceName?: string;
  /** `resource_documentation` URL for the metadata document (RFC 9728 §2). */
  resourceDocumentation?: string;
  /** Minimum seconds between two signing-key refetches caused by an unknown `kid` (1 to 300). @default 30 */
  jwksCooldownSeconds?: number;
  /** Seconds after which cached signing keys are refreshed in the background of a request. @default 600 */
  jwksCacheMaxAgeSeconds?: number;
  /** Timeout of one signing-key fetch, in milliseconds. @default 5000 */
  jwksTimeoutMs?: number;
  /**
   * Verified-token cache: a repeat token skips signature verification. Bounded LRU keyed by a SHA-256 of the token
   * (never the token); an entry lives until the token's `exp` and at most `tokenCacheTtlSeconds`; failures are never
   * cached. `0` switches it off. @default 10000
   */
  tokenCacheMaxEntries?: number;
  /**
   * Longest time a verified token is trusted without re-checking its signature, in seconds (1 to 3600): also the
   * longest a token signed by a key the authorization server has just withdrawn stays accepted. @default 60
   */
  tokenCacheTtlSeconds?: number;
  /**
   * Browser origins allowed to call the MCP endpoint besides the resource's own origin
   * (MCP Streamable HTTP, Security Warning: validate `Origin`). `'*'` allows any.
   * @default []
   */
  allowedOrigins?: string[];
  /** Allow any loopback origin (http://localhost:*, http://127.0.0.1:*), e.g. for MCP Inspector in dev. @default false */
  /** Also allow `http(s)://localhost:*`, `127.0.0.0/8` and `[::1]` origins (a local MCP Inspector). @default false */
  allowLoopbackOrigins?: boolean;
  /**
   * What to do with a `tools/call` of a tool whose scopes the library does not know (not named by `@McpTool`,
   * mcp-nest's `@Tool`, `toolScopes` or {@link ToolScopeRegistry}):
   * - `'deny'` (default): refuse it with 403 `unknown_tool` before anything runs (fail closed: a tool registered on
   *   the MCP server but forgotten here cannot run with whatever token the caller has);
   * - `'allow'`: let it through with the route's scopes only (any valid token).
   * Declare a tool any valid token may call with `toolScopes: { whoami: [] }` or `@McpTool('whoami')` alone.
   * @default 'deny'
   */
  unknownTools?: 'deny' | 'allow';
  /**
   * BENCHMARKING ONLY: let every request through without a token, as an anonymous caller holding every scope, to
   * measure the cost of authentication against the same app. Logs a loud warning at boot; refused when
   * `NODE_ENV=production`. @default false
   */
  dangerouslyDisableAuthForBenchmarks?: boolean;
  /**
   * Limits failed authentications (invalid tokens, malformed credentials) per client address: past `limit` in
   * `windowSeconds` (default 60), the address gets 429 with `Retry-After` for one window, before any signature is
   * checked. Requests without credentials never count. Off by default because the right client address depends on
   * your proxies: set Express's `trust proxy` so `request.ip` is the real client. `false` or `limit: 0` = off.
   * A caller whose token already verified (and is still valid) is never refused because of other callers' failures
   * from the same address. Counts live in `storage` (in memory by default; a Redis one shares them across instances).
   * @default off
   */
  authFailureLimit?: AuthFailureLimitOptions | false;
  /**
   * The app refuses to start when the MCP path is served by a handler registered outside Nest's router (for example
   * @rekog/mcp-nest's self-mounted transport), where no guard runs. `true` lets it start, for a route protected
   * another way. @default false
   */
  allowUnguardedMcpPath?: boolean;
  /**
   * Where the structured event lines (denials, step-ups, the audit trail...) are written:
   * - `'json-lines'` (default): one JSON object per line on stdout, written per event-loop tick (cheap: the audit
   *   trail costs next to nothing), honouring the app's Nest log levels;
   * - `'nest-logger'`: through Nest's `Logger` (context `McpOAuth`), i.e. the app's own `LoggerService`;
   * - `false`: not written (the `onAuthEvent` hook still gets every event).
   * @default 'json-lines'
   */
  eventLog?: 'json-lines' | 'nest-logger' | false;
  /**
   * Called with every structured event (denials, step-up challenges, rate limiting, key refreshes, authorization
   * server outages, the audit trail of tool calls). Events never contain tokens. Errors thrown here are logged and
   * ignored.
   */
  onAuthEvent?: (event: McpOAuthEvent) => void | Promise<void>;
}
