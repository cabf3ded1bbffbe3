import type { Scalekit } from '@scalekit-sdk/node';
import type { ResolvedMcpOAuthOptions } from '../config/mcp-oauth.options.js';
import type { McpOAuthEvents } from '../events/mcp-oauth-events.service.js';
import { JwtTokenVerifier } from './jwt-token-verifier.js';
import { RemoteSigningKeys } from './remote-signing-keys.js';
import { ScalekitSdkTokenVerifier } from './scalekit-sdk-token-verifier.js';
import type { TokenVerifier } from './token-verifier.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/**
 * Builds the verifier the options ask for (see {@link VerifierOption}); the library's own verifiers are wrapped in the
 * {@link VerifiedTokenCache} unless `tokenCacheMaxEntries` is 0 (a custom verifier is used as it is).
 */
export function createTokenVerifier(
  options: ResolvedMcpOAuthOptions,
  scalekit: Scalekit | null,
  events?: McpOAuthEvents,
): TokenVerifier {
  if (typeof options.verifier === 'object') return options.verifier;
  const cached = (verifier: TokenVerifier): TokenVerifier =>
    options.tokenCacheMaxEntries > 0
      ? new VerifiedTokenCache(verifier, {
          maxEntries: options.tokenCacheMaxEntries,
          maxTtlSeconds: options.tokenCacheTtlSeconds,
        })
      : verifier;
  if (options.verifier === 'scalekit-sdk') {
    if (!scalekit) throw new Error("McpOAuthModule: verifier 'scalekit-sdk' needs the scalekit options.");
    return cached(
      new ScalekitSdkTokenVerifier(scalekit, options.issuers, options.audiences, {
        algorithms: options.algorithms,
        requiredTokenType: options.requiredTokenType,
      }),
    );
  }
  const jwksUri = options.jwksUri as string;
  const keys = new RemoteSigningKeys(jwksUri, {
    cooldownMs: options.jwksCooldownSeconds * 1000,
    maxAgeMs: options.jwksCacheMaxAgeSeconds * 1000,
    timeoutMs: options.jwksTimeoutMs,
    onFetch: ({ ok, keys: count, error }) =>
      events?.emit(
        ok
          ? { type: 'keys_refreshed', jwksUri, keys: count ?? 0 }
          : { type: 'authorization_server_unavailable', jwksUri, error: error ?? 'unknown error' },
      ),
  });
  return cached(
    new JwtTokenVerifier(keys.getKey, {
      issuers: options.issuers,
      audiences: options.audiences,
      algorithms: options.algorithms,
      clockToleranceSeconds: options.clockToleranceSeconds,
      requiredTokenType: options.requiredTokenType,
    }),
  );
}
