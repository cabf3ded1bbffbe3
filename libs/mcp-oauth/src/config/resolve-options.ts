import { OFFLINE_ACCESS_SCOPE, isScopeToken } from '../scopes/scope-token.js';
import { trimTrailingSlashes } from '../http/request-path.js';
import type { TokenVerifier } from '../verify/token-verifier.js';
import { MCP_OAUTH_DEFAULTS } from './defaults.js';
import { resolveJwksPreset } from './jwks.preset.js';
import { McpOAuthConfigError } from './mcp-oauth-config.error.js';
import type { McpOAuthModuleOptions } from './mcp-oauth.options.js';
import { OptionProblems } from './option-checks.js';
import type {
  ResolvedAuthority,
  ResolvedMcpOAuthOptions,
  ResolvedTokenRules,
  ResolvedVerification,
} from './resolved-options.js';
import { resolveScalekitPreset } from './scalekit.preset.js';

/** Asymmetric JWS algorithms only (RFC 8725 §3.1-3.2: no `none`, no HMAC with a public key). */
const SUPPORTED_ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);
const MCP_PATH = /^\/[^?#\s]*$/;

/**
 * Applies the defaults ({@link MCP_OAUTH_DEFAULTS}), validates every option, and resolves the preset (Scalekit or
 * JWKS) and the verification mode. Throws one {@link McpOAuthConfigError} listing every problem.
 */
export function resolveMcpOAuthOptions(options: McpOAuthModuleOptions | undefined): ResolvedMcpOAuthOptions {
  if (!options || typeof options !== 'object') {
    throw new McpOAuthConfigError([
      'options: are missing; pass at least { resource, scalekit } or { resource, jwks }.',
    ]);
  }
  const problems = new OptionProblems();
  const resourceUrl = checkResource(options.resource, problems);
  const verifier = checkVerifier(options.verifier, problems);
  const authority = resolveAuthority(options, verifier, problems);
  const rules = resolveTokenRules(options, authority, problems);
  const tokenCacheMaxEntries = problems.number(
    'tokenCacheMaxEntries',
    options.tokenCacheMaxEntries,
    MCP_OAUTH_DEFAULTS.tokenCacheMaxEntries,
    0,
    1_000_000,
    true,
  );
  const tokenCacheTtlSeconds = problems.number(
    'tokenCacheTtlSeconds',
    options.tokenCacheTtlSeconds,
    MCP_OAUTH_DEFAULTS.tokenCacheTtlSeconds,
    1,
    3600,
  );
  const keys = {
    cooldownSeconds: problems.number(
      'jwksCooldownSeconds',
      options.jwksCooldownSeconds,
      MCP_OAUTH_DEFAULTS.jwksCooldownSeconds,
      1,
      300,
    ),
    cacheMaxAgeSeconds: problems.number(
      'jwksCacheMaxAgeSeconds',
      options.jwksCacheMaxAgeSeconds,
      MCP_OAUTH_DEFAULTS.jwksCacheMaxAgeSeconds,
      1,
      86_400,
    ),
    timeoutMs: problems.number('jwksTimeoutMs', options.jwksTimeoutMs, MCP_OAUTH_DEFAULTS.jwksTimeoutMs, 100, 60_000),
  };
  const scopeHierarchy = problems.scopeMap('scopeHierarchy', options.scopeHierarchy, true);
  const toolScopes = problems.scopeMap('toolScopes', options.toolScopes, false);
  const scopesSupported = problems
    .strings('scopesSupported', options.scopesSupported)
    .filter((scope) => scope !== OFFLINE_ACCESS_SCOPE);
  for (const scope of scopesSupported) {
    if (!isScopeToken(scope)) problems.add(`scopesSupported: "${scope}" is not a valid scope (no spaces or quotes).`);
  }
  if (options.resourceDocumentation !== undefined) {
    problems.url('resourceDocumentation', options.resourceDocumentation, false);
  }
  const allowedOrigins = checkAllowedOrigins(options.allowedOrigins, problems);
  const allowLoopbackOrigins = problems.boolean(
    'allowLoopbackOrigins',
    options.allowLoopbackOrigins,
    MCP_OAUTH_DEFAULTS.allowLoopbackOrigins,
  );
  const dangerouslyDisableAuthForBenchmarks = problems.boolean(
    'dangerouslyDisableAuthForBenchmarks',
    options.dangerouslyDisableAuthForBenchmarks,
    false,
  );
  if (dangerouslyDisableAuthForBenchmarks && process.env.NODE_ENV === 'production') {
    problems.add('dangerouslyDisableAuthForBenchmarks: is refused when NODE_ENV=production; remove it.');
  }
  const allowUnguardedMcpPath = problems.boolean('allowUnguardedMcpPath', options.allowUnguardedMcpPath, false);
  const unknownTools = problems.oneOf(
    'unknownTools',
    options.unknownTools,
    ['deny', 'allow'],
    MCP_OAUTH_DEFAULTS.unknownTools,
  );
  const authFailureLimit = checkAuthFailureLimit(options.authFailureLimit, problems);
  const eventLog =
    options.eventLog === false
      ? false
      : problems.oneOf('eventLog', options.eventLog, ['json-lines', 'nest-logger'], MCP_OAUTH_DEFAULTS.eventLog);
  const resourceName = problems.text('resourceName', options.resourceName);
  if (options.onAuthEvent !== undefined && typeof options.onAuthEvent !== 'function') {
    problems.add('onAuthEvent: must be a function (event) => void.');
  }
  const mcpPath = checkMcpPath(options.mcpPath, resourceUrl, problems);

  if (problems.list.length > 0 || !resourceUrl || !authority || !rules) throw new McpOAuthConfigError(problems.list);
  return {
    resource: options.resource,
    resourceOrigin: resourceUrl.origin,
    mcpPath,
    authority,
    verification: resolveVerification(verifier, authority, rules, keys),
    tokenCache:
      tokenCacheMaxEntries > 0 ? { maxEntries: tokenCacheMaxEntries, ttlSeconds: tokenCacheTtlSeconds } : undefined,
    scopeHierarchy,
    toolScopes,
    unknownTools,
    scopesSupported,
    resourceName,
    resourceDocumentation: options.resourceDocumentation,
    allowedOrigins,
    allowLoopbackOrigins,
    authFailureLimit,
    dangerouslyDisableAuthForBenchmarks,
    allowUnguardedMcpPath,
    eventLog,
    onAuthEvent: options.onAuthEvent,
  };
}

/** The resource identifier (RFC 8707 §2): absolute http(s), no fragment, query, credentials or stray spaces. */
function checkResource(resource: unknown, problems: OptionProblems): URL | undefined {
  const url = problems.url('resource', resource, false);
  if (!url || typeof resource !== 'string') return undefined;
  if (resource !== resource.trim()) {
    problems.add(
      `resource: "${resource}" has leading or trailing spaces; remove them (tokens carry the exact string).`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    problems.add('resource: must not contain a user name or password (user:pass@); remove them.');
  }
  if (url.search !== '') {
    problems.add(`resource: "${resource}" must not contain a query (?...) (RFC 8707 §2); remove it.`);
  }
  return url;
}

type VerifierChoice = 'jwt' | 'scalekit-sdk' | TokenVerifier;

function checkVerifier(value: unknown, problems: OptionProblems): VerifierChoice {
  if (value === undefined) return MCP_OAUTH_DEFAULTS.verifier;
  if (value === 'jwt' || value === 'scalekit-sdk') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { verify?: unknown }).verify === 'function') {
    return value as TokenVerifier;
  }
  problems.add(
    `verifier: unknown verifier ${JSON.stringify(value)}; use 'jwt' (default), 'scalekit-sdk', or an object with a verify(token) method.`,
  );
  return MCP_OAUTH_DEFAULTS.verifier;
}

/** The preset (Scalekit first, else JWKS), and explicit `authorizationServers` over the derived ones. */
function resolveAuthority(
  options: McpOAuthModuleOptions,
  verifier: VerifierChoice,
  problems: OptionProblems,
): ResolvedAuthority | undefined {
  let authority: ResolvedAuthority | undefined;
  if (options.scalekit !== undefined) authority = resolveScalekitPreset(options.scalekit, problems);
  else if (options.jwks !== undefined) authority = resolveJwksPreset(options.jwks, problems);
  else if (typeof verifier === 'object') {
    authority = { kind: 'custom', issuers: [], presetAudiences: [], authorizationServers: [], principalNamespaces: {} };
  } else {
    problems.add(
      'scalekit / jwks: neither is set; set scalekit { environmentUrl, resourceId } (SCALEKIT_ENVIRONMENT_URL, SCALEKIT_RESOURCE_ID) or jwks { issuer, jwksUri }.',
    );
  }
  if (verifier === 'scalekit-sdk' && options.scalekit === undefined) {
    problems.add(
      "verifier: 'scalekit-sdk' needs the scalekit { environmentUrl, resourceId, clientId, clientSecret } options.",
    );
  }
  if (options.authorizationServers !== undefined) {
    if (!Array.isArray(options.authorizationServers) || options.authorizationServers.length === 0) {
      problems.add('authorizationServers: must be a non-empty array of authorization server issuer URLs.');
      return authority;
    }
    const servers = options.authorizationServers.filter((server, index) =>
      problems.url(`authorizationServers[${index}]`, server, true),
    );
    if (authority) authority = { ...authority, authorizationServers: servers };
  }
  if (authority && authority.authorizationServers.length === 0 && problems.list.length === 0) {
    problems.add('authorizationServers: none could be derived; set authorizationServers, scalekit or jwks.');
  }
  return authority;
}

/** Issuers, audiences (the resource, the preset's, `additionalAudiences`), algorithms, clock, `typ`. */
function resolveTokenRules(
  options: McpOAuthModuleOptions,
  authority: ResolvedAuthority | undefined,
  problems: OptionProblems,
): ResolvedTokenRules | undefined {
  const audiences = [options.resource, ...(authority?.presetAudiences ?? [])];
  for (const [index, audience] of problems.strings('additionalAudiences', options.additionalAudiences).entries()) {
    if (audience.trim() === '') {
      problems.add(`additionalAudiences[${index}]: is empty; every audience must be a non-empty string.`);
    } else if (!audiences.includes(audience)) {
      audiences.push(audience);
    }
  }
  const algorithms = options.algorithms ?? [...MCP_OAUTH_DEFAULTS.algorithms];
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    problems.add('algorithms: must be a non-empty array of JWS algorithms, e.g. ["RS256"].');
  } else {
    for (const algorithm of algorithms) {
      if (!SUPPORTED_ALGORITHMS.has(algorithm)) {
        problems.add(
          `algorithms: "${algorithm}" is not allowed; use asymmetric algorithms only (${[...SUPPORTED_ALGORITHMS].join(', ')}).`,
        );
      }
    }
  }
  const clockToleranceSeconds = problems.number(
    'clockToleranceSeconds',
    options.clockToleranceSeconds,
    MCP_OAUTH_DEFAULTS.clockToleranceSeconds,
    0,
    300,
  );
  const requiredTokenType = problems.text('requiredTokenType', options.requiredTokenType);
  if (!authority) return undefined;
  return {
    issuers: authority.issuers,
    audiences,
    algorithms: [...algorithms],
    clockToleranceSeconds,
    requiredTokenType,
    principalNamespaces: authority.principalNamespaces,
  };
}

function resolveVerification(
  verifier: VerifierChoice,
  authority: ResolvedAuthority,
  rules: ResolvedTokenRules,
  keys: Extract<ResolvedVerification, { mode: 'jwt' }>['keys'],
): ResolvedVerification {
  if (typeof verifier === 'object') return { mode: 'custom', verifier };
  if (verifier === 'scalekit-sdk' && authority.kind === 'scalekit') {
    return { mode: 'scalekit-sdk', rules, scalekit: authority.scalekit };
  }
  if (authority.kind === 'custom')
    throw new McpOAuthConfigError(['verifier: the jwt verifier needs scalekit or jwks.']);
  return { mode: 'jwt', rules, jwksUri: authority.jwksUri, keys };
}

function checkAllowedOrigins(value: unknown, problems: OptionProblems): string[] {
  const origins = problems.strings('allowedOrigins', value);
  for (const origin of origins) {
    if (origin === '*') continue;
    const url = problems.url(`allowedOrigins ("${origin}")`, origin, false);
    if (url && url.origin !== trimTrailingSlashes(origin)) {
      problems.add(`allowedOrigins: "${origin}" is not an origin; use scheme://host[:port] without a path.`);
    }
  }
  return origins.map(trimTrailingSlashes);
}

function checkAuthFailureLimit(value: McpOAuthModuleOptions['authFailureLimit'], problems: OptionProblems) {
  if (value === undefined || value === false) return undefined;
  if (typeof value !== 'object' || value === null) {
    problems.add('authFailureLimit: must be { limit, windowSeconds?, storage? } or false.');
    return undefined;
  }
  const limit = problems.number('authFailureLimit.limit', value.limit, 0, 0, 1_000_000, true);
  const windowSeconds = problems.number(
    'authFailureLimit.windowSeconds',
    value.windowSeconds,
    MCP_OAUTH_DEFAULTS.authFailureWindowSeconds,
    1,
    86_400,
  );
  const storage = value.storage;
  if (storage !== undefined && typeof (storage as { increment?: unknown }).increment !== 'function') {
    problems.add(
      'authFailureLimit.storage: must be a @nestjs/throttler ThrottlerStorage (with an increment() method).',
    );
  }
  return limit > 0 ? { limit, windowSeconds, storage } : undefined;
}

function checkMcpPath(value: unknown, resourceUrl: URL | undefined, problems: OptionProblems): string {
  if (value === undefined) return resourceUrl?.pathname || '/';
  if (typeof value !== 'string' || !MCP_PATH.test(value)) {
    problems.add(`mcpPath: ${JSON.stringify(value)} must be a path starting with "/", e.g. "/mcp".`);
    return '/';
  }
  return value;
}
