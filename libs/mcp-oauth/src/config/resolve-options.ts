import { OFFLINE_ACCESS_SCOPE, PROTECTED_RESOURCE_WELL_KNOWN } from '../mcp-oauth.constants.js';
import { isLoopbackHost } from './loopback.js';
import { McpOAuthConfigError } from './mcp-oauth-config.error.js';
import type { McpOAuthModuleOptions, ResolvedMcpOAuthOptions, VerifierOption } from './mcp-oauth.options.js';

const MAX_CLOCK_TOLERANCE_SECONDS = 300;
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

/**
 * Builds the RFC 9728 §3.1 metadata URL for a resource: the well-known segment is inserted between the origin and
 * the resource's path (`https://h/mcp` -> `https://h/.well-known/oauth-protected-resource/mcp`).
 */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}${PROTECTED_RESOURCE_WELL_KNOWN}${path}`;
}

function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Validates an absolute URL option; `http:` only for loopback hosts when `requireHttps` is set. */
function checkUrl(name: string, value: unknown, problems: string[], requireHttps: boolean): URL | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${name}: is missing; set it to an absolute https URL.`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name}: "${value}" is not an absolute URL; include the scheme, e.g. https://example.com.`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`${name}: "${value}" must use https (or http on a loopback host).`);
    return undefined;
  }
  if (url.hash !== '' || value.includes('#')) {
    problems.push(`${name}: "${value}" must not contain a fragment (#...); remove it.`);
    return undefined;
  }
  if (requireHttps && url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    problems.push(
      `${name}: "${value}" uses http on a non-loopback host; use https (http is accepted only for localhost, 127.0.0.0/8 and [::1]).`,
    );
    return undefined;
  }
  return url;
}

function checkScopeMap(name: string, value: unknown, problems: string[]): Record<string, string[]> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(
      `${name}: must be an object mapping names to arrays of scopes, e.g. { "create_todo": ["todo:write"] }.`,
    );
    return {};
  }
  const result: Record<string, string[]> = {};
  for (const [key, scopes] of Object.entries(value)) {
    if (name === 'scopeHierarchy' && !isScopeToken(key)) {
      problems.push(`${name}: key ${JSON.stringify(key)} is not a valid scope (no spaces or quotes).`);
      continue;
    }
    if (!Array.isArray(scopes) || scopes.some((scope) => !isScopeToken(scope))) {
      problems.push(`${name}.${key}: must be an array of scope strings without spaces.`);
      continue;
    }
    result[key] = [...scopes];
  }
  return result;
}

function checkArray(name: string, value: unknown, problems: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    problems.push(`${name}: must be an array of strings (got ${JSON.stringify(value)}).`);
    return [];
  }
  return value as string[];
}

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
export function isScopeToken(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(value);
}

function checkVerifier(value: unknown, problems: string[]): VerifierOption {
  if (value === undefined) return 'jwt';
  if (value === 'jwt' || value === 'scalekit-sdk') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { verify?: unknown }).verify === 'function') {
    return value as VerifierOption;
  }
  problems.push(
    `verifier: unknown verifier ${JSON.stringify(value)}; use 'jwt' (default), 'scalekit-sdk', or an object with a verify(token) method.`,
  );
  return 'jwt';
}

function checkNumber(name: string, value: unknown, fallback: number, min: number, max: number, problems: string[]) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    problems.push(`${name}: must be a number from ${min} to ${max} (got ${JSON.stringify(value)}).`);
    return fallback;
  }
  return value;
}

/**
 * Applies defaults, validates every option and derives the rest (metadata URL, issuers, audiences, JWKS URI,
 * authorization servers). Throws one {@link McpOAuthConfigError} listing every problem.
 */
export function resolveMcpOAuthOptions(options: McpOAuthModuleOptions | undefined): ResolvedMcpOAuthOptions {
  const problems: string[] = [];
  if (!options || typeof options !== 'object') {
    throw new McpOAuthConfigError([
      'options: are missing; pass at least { resource, scalekit } or { resource, jwks }.',
    ]);
  }

  const resourceUrl = checkUrl('resource', options.resource, problems, false);
  const verifier = checkVerifier(options.verifier, problems);

  let issuers: string[] = [];
  let jwksUri: string | undefined;
  let authorizationServers: string[] = [];
  const audiences: string[] = [];
  if (resourceUrl) audiences.push(options.resource);

  const scalekit = options.scalekit;
  if (scalekit !== undefined) {
    const environment = checkUrl('scalekit.environmentUrl', scalekit?.environmentUrl, problems, true);
    const resourceId = scalekit?.resourceId;
    if (typeof resourceId !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(resourceId)) {
      problems.push(
        "scalekit.resourceId: is missing or malformed; set it to the MCP server's resource id from the Scalekit dashboard (res_...).",
      );
    } else if (environment) {
      const env = trimTrailingSlash(environment.href);
      issuers = [env, `${env}/resources/${resourceId}`];
      jwksUri = `${env}/keys`;
      authorizationServers = [`${env}/resources/${resourceId}`];
      audiences.push(resourceId);
    }
  } else if (options.jwks !== undefined) {
    const issuerList = Array.isArray(options.jwks?.issuer) ? options.jwks.issuer : [options.jwks?.issuer];
    if (issuerList.length === 0)
      problems.push('jwks.issuer: is empty; set the issuer (iss) of your authorization server.');
    issuerList.forEach((issuer, index) => {
      if (checkUrl(issuerList.length > 1 ? `jwks.issuer[${index}]` : 'jwks.issuer', issuer, problems, true)) {
        issuers.push(issuer as string);
      }
    });
    const jwks = checkUrl('jwks.jwksUri', options.jwks?.jwksUri, problems, true);
    if (jwks) jwksUri = jwks.href;
    authorizationServers = issuers.slice(0, 1);
  } else if (verifier === 'jwt') {
    problems.push(
      'scalekit / jwks: neither is set; set scalekit { environmentUrl, resourceId } (SCALEKIT_ENVIRONMENT_URL, SCALEKIT_RESOURCE_ID) or jwks { issuer, jwksUri }.',
    );
  }
  if (verifier === 'scalekit-sdk' && scalekit === undefined) {
    problems.push(
      "verifier: 'scalekit-sdk' needs the scalekit { environmentUrl, resourceId, clientId, clientSecret } options.",
    );
  }

  if (options.authorizationServers !== undefined) {
    if (!Array.isArray(options.authorizationServers) || options.authorizationServers.length === 0) {
      problems.push('authorizationServers: must be a non-empty array of authorization server issuer URLs.');
    } else {
      authorizationServers = [];
      options.authorizationServers.forEach((server, index) => {
        if (checkUrl(`authorizationServers[${index}]`, server, problems, true)) authorizationServers.push(server);
      });
    }
  }
  if (authorizationServers.length === 0 && problems.length === 0) {
    problems.push('authorizationServers: none could be derived; set authorizationServers, scalekit or jwks.');
  }

  const additionalAudiences = checkArray('additionalAudiences', options.additionalAudiences, problems);
  for (const [index, audience] of additionalAudiences.entries()) {
    if (typeof audience !== 'string' || audience.trim() === '') {
      problems.push(`additionalAudiences[${index}]: is empty; every audience must be a non-empty string.`);
    } else if (!audiences.includes(audience)) {
      audiences.push(audience);
    }
  }

  const algorithms = options.algorithms ?? ['RS256'];
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    problems.push('algorithms: must be a non-empty array of JWS algorithms, e.g. ["RS256"].');
  } else {
    for (const algorithm of algorithms) {
      if (!SUPPORTED_ALGORITHMS.has(algorithm)) {
        problems.push(
          `algorithms: "${algorithm}" is not allowed; use asymmetric algorithms only (${[...SUPPORTED_ALGORITHMS].join(', ')}).`,
        );
      }
    }
  }

  const clockToleranceSeconds = checkNumber(
    'clockToleranceSeconds',
    options.clockToleranceSeconds,
    30,
    0,
    MAX_CLOCK_TOLERANCE_SECONDS,
    problems,
  );
  const jwksCooldownSeconds = checkNumber('jwksCooldownSeconds', options.jwksCooldownSeconds, 30, 1, 300, problems);
  const tokenCacheMaxEntries = checkNumber(
    'tokenCacheMaxEntries',
    options.tokenCacheMaxEntries,
    10_000,
    0,
    1_000_000,
    problems,
  );
  if (!Number.isInteger(tokenCacheMaxEntries))
    problems.push('tokenCacheMaxEntries: must be a whole number (0 switches the cache off).');
  const tokenCacheTtlSeconds = checkNumber('tokenCacheTtlSeconds', options.tokenCacheTtlSeconds, 60, 1, 3600, problems);
  const jwksCacheMaxAgeSeconds = checkNumber(
    'jwksCacheMaxAgeSeconds',
    options.jwksCacheMaxAgeSeconds,
    600,
    1,
    86_400,
    problems,
  );
  const jwksTimeoutMs = checkNumber('jwksTimeoutMs', options.jwksTimeoutMs, 5000, 100, 60_000, problems);

  const scopeHierarchy = checkScopeMap('scopeHierarchy', options.scopeHierarchy, problems);
  const toolScopes = checkScopeMap('toolScopes', options.toolScopes, problems);
  const scopesSupported = checkArray('scopesSupported', options.scopesSupported, problems).filter(
    (scope) => scope !== OFFLINE_ACCESS_SCOPE,
  );
  for (const scope of scopesSupported) {
    if (!isScopeToken(scope)) problems.push(`scopesSupported: "${scope}" is not a valid scope (no spaces or quotes).`);
  }

  if (options.resourceDocumentation !== undefined) {
    checkUrl('resourceDocumentation', options.resourceDocumentation, problems, false);
  }
  const allowedOrigins = checkArray('allowedOrigins', options.allowedOrigins, problems);
  for (const origin of allowedOrigins) {
    if (origin === '*') continue;
    const url = checkUrl(`allowedOrigins ("${origin}")`, origin, problems, false);
    if (url && url.origin !== origin.replace(/\/$/, '')) {
      problems.push(`allowedOrigins: "${origin}" is not an origin; use scheme://host[:port] without a path.`);
    }
  }

  if (resourceUrl && options.resource !== options.resource.trim()) {
    problems.push(
      `resource: "${options.resource}" has leading or trailing spaces; remove them (tokens carry the exact string).`,
    );
  }
  if (resourceUrl && (resourceUrl.username !== '' || resourceUrl.password !== '')) {
    problems.push('resource: must not contain a user name or password (user:pass@); remove them.');
  }
  if (resourceUrl && resourceUrl.search !== '') {
    problems.push(`resource: "${options.resource}" must not contain a query (?...) (RFC 8707 §2); remove it.`);
  }

  for (const name of ['allowLoopbackOrigins', 'dangerouslyDisableAuthForBenchmarks'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') {
      problems.push(
        `${name}: must be true or false (got ${JSON.stringify(options[name])}); convert environment strings first.`,
      );
    }
  }
  for (const name of ['requiredTokenType', 'resourceName'] as const) {
    if (options[name] !== undefined && (typeof options[name] !== 'string' || options[name].trim() === '')) {
      problems.push(`${name}: must be a non-empty string.`);
    }
  }
  let mcpPath = resourceUrl?.pathname || '/';
  if (options.mcpPath !== undefined) {
    if (typeof options.mcpPath !== 'string' || !/^\/[^?#\s]*$/.test(options.mcpPath)) {
      problems.push(`mcpPath: ${JSON.stringify(options.mcpPath)} must be a path starting with "/", e.g. "/mcp".`);
    } else {
      mcpPath = options.mcpPath;
    }
  }
  const dangerouslyDisableAuthForBenchmarks = options.dangerouslyDisableAuthForBenchmarks === true;
  if (dangerouslyDisableAuthForBenchmarks && process.env.NODE_ENV === 'production') {
    problems.push('dangerouslyDisableAuthForBenchmarks: is refused when NODE_ENV=production; remove it.');
  }

  let authFailureLimit: ResolvedMcpOAuthOptions['authFailureLimit'];
  const limitOption = options.authFailureLimit;
  if (limitOption !== undefined && limitOption !== false) {
    const limit = checkNumber('authFailureLimit.limit', limitOption?.limit, 0, 0, 1_000_000, problems);
    const windowSeconds = checkNumber(
      'authFailureLimit.windowSeconds',
      limitOption?.windowSeconds,
      60,
      1,
      86_400,
      problems,
    );
    if (!Number.isInteger(limit))
      problems.push('authFailureLimit.limit: must be a whole number (0 switches the limiter off).');
    if (limit > 0) authFailureLimit = { limit, windowSeconds };
  }
  if (options.onAuthEvent !== undefined && typeof options.onAuthEvent !== 'function') {
    problems.push('onAuthEvent: must be a function (event) => void.');
  }

  if (problems.length > 0 || !resourceUrl) throw new McpOAuthConfigError(problems);

  return {
    resource: options.resource,
    resourceMetadataUrl: protectedResourceMetadataUrl(options.resource),
    mcpPath,
    resourceOrigin: resourceUrl.origin,
    authorizationServers,
    issuers,
    audiences,
    jwksUri,
    verifier,
    scalekit,
    algorithms,
    clockToleranceSeconds,
    requiredTokenType: options.requiredTokenType,
    scopeHierarchy,
    toolScopes,
    scopesSupported,
    resourceName: options.resourceName,
    resourceDocumentation: options.resourceDocumentation,
    jwksCooldownSeconds,
    jwksCacheMaxAgeSeconds,
    jwksTimeoutMs,
    tokenCacheMaxEntries,
    tokenCacheTtlSeconds,
    allowedOrigins: allowedOrigins.map((origin) => origin.replace(/\/$/, '')),
    allowLoopbackOrigins: options.allowLoopbackOrigins === true,
    dangerouslyDisableAuthForBenchmarks,
    authFailureLimit,
    onAuthEvent: options.onAuthEvent,
  };
}
