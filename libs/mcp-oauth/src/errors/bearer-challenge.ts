import { OFFLINE_ACCESS_SCOPE } from '../scopes/scope-token.js';
import type { BearerErrorCode } from './mcp-oauth-failure.js';

/** Parameters of a Bearer challenge (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  resourceMetadataUrl: string;
  error?: BearerErrorCode;
  errorDescription?: string;
  scopes?: readonly string[];
}

/**
 * RFC 6750 §3 restricts `error_description` and `scope` to printable ASCII without `"` and `\`; anything else is
 * replaced, so no value can break out of its quoted-string or inject a header line.
 */
export function toChallengeValue(value: string): string {
  return value.replace(/"/g, "'").replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

/**
 * Builds a `WWW-Authenticate: Bearer ...` value. Each parameter at most once; `error` only when the request had
 * credentials (RFC 6750 §3.1); `resource_metadata` always (RFC 9728 §5.1, MCP Protected Resource Metadata Discovery).
 *
 * @example
 * buildBearerChallenge({ resourceMetadataUrl, error: 'insufficient_scope', scopes: ['todo:write'] })
 * // Bearer error="insufficient_scope", scope="todo:write", resource_metadata="https://h/.well-known/..."
 */
export function buildBearerChallenge(challenge: BearerChallenge): string {
  const params: string[] = [];
  if (challenge.error) params.push(`error="${challenge.error}"`);
  if (challenge.error && challenge.errorDescription) {
    params.push(`error_description="${toChallengeValue(challenge.errorDescription)}"`);
  }
  // offline_access is never challenged for (MCP 2026-07-28, Scope Selection): clients ask for it themselves.
  const scopes = challenge.scopes?.filter((scope) => scope !== OFFLINE_ACCESS_SCOPE) ?? [];
  if (scopes.length > 0) params.push(`scope="${toChallengeValue(scopes.join(' '))}"`);
  params.push(`resource_metadata="${toChallengeValue(challenge.resourceMetadataUrl)}"`);
  return `Bearer ${params.join(', ')}`;
}
