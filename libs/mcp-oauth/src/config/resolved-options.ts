import type { ThrottlerStorage } from '@nestjs/throttler';
import type { McpOAuthEvent } from '../events/mcp-oauth-event.js';
import type { TokenVerifier } from '../verify/token-verifier.js';
import type { ScalekitOptions } from './mcp-oauth.options.js';

/** What every preset resolves: the accepted issuers, the audiences it adds, what the metadata advertises. */
interface AuthorityBase {
  issuers: string[];
  presetAudiences: string[];
  authorizationServers: string[];
  /** Issuer -> user namespace ({@link AuthInfo.principal}): spellings of one authorization server share one. */
  principalNamespaces: Record<string, string>;
}

/**
 * Who issues the tokens, as a preset resolved it: the Scalekit preset (whose two issuer forms are one environment),
 * the generic JWKS preset, or nothing to derive (a custom verifier with explicit `authorizationServers`).
 */
export type ResolvedAuthority =
  | (AuthorityBase & { kind: 'scalekit'; scalekit: ScalekitOptions; jwksUri: string })
  | (AuthorityBase & { kind: 'jwks'; jwksUri: string })
  | (AuthorityBase & { kind: 'custom' });

/** What the library's own JWT verifiers check (RFC 9068 §4, RFC 8725). */
export interface ResolvedTokenRules {
  issuers: string[];
  audiences: string[];
  algorithms: string[];
  clockToleranceSeconds: number;
  requiredTokenType: string | undefined;
  principalNamespaces: Record<string, string>;
}

/** How tokens are verified, one variant per `verifier` option. */
export type ResolvedVerification =
  | {
      mode: 'jwt';
      rules: ResolvedTokenRules;
      jwksUri: string;
      keys: { cooldownSeconds: number; cacheMaxAgeSeconds: number; timeoutMs: number };
    }
  | { mode: 'scalekit-sdk'; rules: ResolvedTokenRules; scalekit: ScalekitOptions }
  | { mode: 'custom'; verifier: TokenVerifier };

/** Options after defaults and validation: what the rest of the library reads. */
export interface ResolvedMcpOAuthOptions {
  /** The resource identifier, exactly as configured. */
  resource: string;
  /** Origin of the resource URL (e.g. `https://mcp.example.com`), allowed as a browser `Origin` by default. */
  resourceOrigin: string;
  /** Path this app serves MCP on: `mcpPath`, else the path of the resource URL (`/` when it has none). */
  mcpPath: string;
  authority: ResolvedAuthority;
  verification: ResolvedVerification;
  /** Verified-token cache settings; `undefined` when switched off. */
  tokenCache: { maxEntries: number; ttlSeconds: number } | undefined;
  scopeHierarchy: Record<string, string[]>;
  toolScopes: Record<string, string[]>;
  unknownTools: 'deny' | 'allow';
  scopesSupported: string[];
  resourceName: string | undefined;
  resourceDocumentation: string | undefined;
  allowedOrigins: string[];
  allowLoopbackOrigins: boolean;
  authFailureLimit: { limit: number; windowSeconds: number; storage: ThrottlerStorage | undefined } | undefined;
  dangerouslyDisableAuthForBenchmarks: boolean;
  allowUnguardedMcpPath: boolean;
  eventLog: 'json-lines' | 'nest-logger' | false;
  onAuthEvent: ((event: McpOAuthEvent) => void | Promise<void>) | undefined;
}

/** Injection token of the {@link ResolvedMcpOAuthOptions} (internal: apps configure through `forRoot`). */
export const MCP_OAUTH_OPTIONS = Symbol('nestjs-mcp-oauth:ResolvedOptions');
