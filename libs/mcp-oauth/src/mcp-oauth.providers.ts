import { Logger, type Provider } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { configurationWarnings } from './config/configuration-warnings.js';
import { MCP_OAUTH_DEFAULTS } from './config/defaults.js';
import type { McpOAuthModuleOptions } from './config/mcp-oauth.options.js';
import { MCP_OAUTH_OPTIONS, type ResolvedMcpOAuthOptions } from './config/resolved-options.js';
import { resolveMcpOAuthOptions } from './config/resolve-options.js';
import type { McpOAuthEventSink } from './events/event-sink.js';
import { JsonLinesEventSink } from './events/json-lines.sink.js';
import { MCP_OAUTH_EVENTS, McpOAuthEvents } from './events/mcp-oauth-events.js';
import { NestLoggerEventSink } from './events/nest-logger.sink.js';
import { FAILED_AUTHENTICATION_LIMITER, FailedAuthenticationLimiter } from './limiter/failed-authentication-limiter.js';
import { MCP_OAUTH_MODULE_OPTIONS } from './mcp-oauth.module-definition.js';
import { createScalekitClient } from './scalekit/create-scalekit-client.js';
import { SCALEKIT_CLIENT } from './scalekit/scalekit-client.token.js';
import { JwtTokenVerifier } from './verify/jwt-token-verifier.js';
import { RemoteSigningKeys } from './verify/remote-signing-keys.js';
import { type ScalekitTokenValidator, ScalekitSdkTokenVerifier } from './verify/scalekit-sdk-token-verifier.js';
import { TOKEN_VERIFIER, type TokenVerifier } from './verify/token-verifier.js';
import { VERIFIED_TOKENS, VerifiedTokenCache } from './verify/verified-token-cache.js';

/** The verifier the guard calls, and the cache in front of it (if any). */
export interface Verification {
  verifier: TokenVerifier;
  cache: VerifiedTokenCache | null;
}

/**
 * The verifier the options ask for: jose with remote keys (`'jwt'`), the Scalekit SDK (`'scalekit-sdk'`) or the
 * app's own. The library's verifiers sit behind the {@link VerifiedTokenCache} unless `tokenCacheMaxEntries` is 0; a
 * custom verifier is never served from a cache. When the failed-authentication limiter is on, a verifier without a
 * cache gets one that only remembers which tokens verified, so honest callers are never blocked.
 */
export function createVerification(
  options: ResolvedMcpOAuthOptions,
  scalekit: object | null,
  events: McpOAuthEvents,
): Verification {
  const verification = options.verification;
  let inner: TokenVerifier;
  if (verification.mode === 'custom') {
    inner = verification.verifier;
  } else if (verification.mode === 'scalekit-sdk') {
    inner = new ScalekitSdkTokenVerifier(scalekit as ScalekitTokenValidator, verification.rules);
  } else {
    const { jwksUri } = verification;
    const keys = new RemoteSigningKeys(jwksUri, {
      cooldownMs: verification.keys.cooldownSeconds * 1000,
      maxAgeMs: verification.keys.cacheMaxAgeSeconds * 1000,
      timeoutMs: verification.keys.timeoutMs,
      onFetch: ({ ok, keys: count, error }) =>
        events.emit(
          ok
            ? { type: 'keys_refreshed', jwksUri, keys: count ?? 0 }
            : { type: 'authorization_server_unavailable', jwksUri, error: error ?? 'unknown error' },
        ),
    });
    inner = new JwtTokenVerifier(keys.getKey, verification.rules);
  }
  const serveHits = verification.mode !== 'custom' && options.tokenCache !== undefined;
  if (!serveHits && !options.authFailureLimit) return { verifier: inner, cache: null };
  const cache = new VerifiedTokenCache(inner, {
    maxEntries: options.tokenCache?.maxEntries ?? MCP_OAUTH_DEFAULTS.tokenCacheMaxEntries,
    maxTtlSeconds: options.tokenCache?.ttlSeconds ?? MCP_OAUTH_DEFAULTS.tokenCacheTtlSeconds,
    serveHits,
  });
  return { verifier: cache, cache };
}

const VERIFICATION = Symbol('nestjs-mcp-oauth:Verification');

/** The sink the `eventLog` option names. */
function eventSinkFor(options: ResolvedMcpOAuthOptions): McpOAuthEventSink | undefined {
  if (options.eventLog === 'json-lines') return new JsonLinesEventSink();
  if (options.eventLog === 'nest-logger') return new NestLoggerEventSink();
  return undefined;
}

/** Every provider of the module but the global guard (see the module definition). */
export const MCP_OAUTH_PROVIDERS: Provider[] = [
  {
    provide: MCP_OAUTH_OPTIONS,
    inject: [MCP_OAUTH_MODULE_OPTIONS],
    useFactory: (options: McpOAuthModuleOptions) => {
      const resolved = resolveMcpOAuthOptions(options);
      for (const warning of configurationWarnings(resolved)) new Logger('McpOAuth').warn(warning);
      return resolved;
    },
  },
  {
    provide: MCP_OAUTH_EVENTS,
    inject: [MCP_OAUTH_OPTIONS],
    useFactory: (options: ResolvedMcpOAuthOptions) => new McpOAuthEvents(eventSinkFor(options), options.onAuthEvent),
  },
  {
    provide: SCALEKIT_CLIENT,
    inject: [MCP_OAUTH_OPTIONS],
    useFactory: (options: ResolvedMcpOAuthOptions) =>
      createScalekitClient(
        options.authority.kind === 'scalekit' ? options.authority.scalekit : undefined,
        options.verification.mode === 'scalekit-sdk',
      ),
  },
  {
    provide: VERIFICATION,
    inject: [MCP_OAUTH_OPTIONS, SCALEKIT_CLIENT, MCP_OAUTH_EVENTS],
    useFactory: createVerification,
  },
  {
    provide: TOKEN_VERIFIER,
    inject: [VERIFICATION],
    useFactory: (verification: Verification) => verification.verifier,
  },
  { provide: VERIFIED_TOKENS, inject: [VERIFICATION], useFactory: (verification: Verification) => verification.cache },
  ThrottlerStorageService,
  {
    provide: FAILED_AUTHENTICATION_LIMITER,
    inject: [MCP_OAUTH_OPTIONS, ThrottlerStorageService, MCP_OAUTH_EVENTS],
    useFactory: (options: ResolvedMcpOAuthOptions, memory: ThrottlerStorageService, events: McpOAuthEvents) => {
      const settings = options.authFailureLimit;
      if (!settings) return null;
      return new FailedAuthenticationLimiter(settings.storage ?? memory, {
        limit: settings.limit,
        windowSeconds: settings.windowSeconds,
        onStorageError: (error) =>
          events.emit({
            type: 'limiter_storage_failed',
            error: error instanceof Error ? error.message.slice(0, 200) : typeof error,
          }),
      });
    },
  },
];
