/**
 * Every default of {@link McpOAuthModuleOptions}, in one place (the README's options table lists the same values).
 */
export const MCP_OAUTH_DEFAULTS = Object.freeze({
  verifier: 'jwt',
  algorithms: Object.freeze(['RS256']),
  clockToleranceSeconds: 30,
  jwksCooldownSeconds: 30,
  jwksCacheMaxAgeSeconds: 600,
  jwksTimeoutMs: 5000,
  tokenCacheMaxEntries: 10_000,
  tokenCacheTtlSeconds: 60,
  unknownTools: 'deny',
  allowLoopbackOrigins: false,
  authFailureWindowSeconds: 60,
  eventLog: 'json-lines',
} as const);
