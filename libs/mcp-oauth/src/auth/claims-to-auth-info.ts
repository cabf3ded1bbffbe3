import { readScopesFromClaims } from '../scopes/scope-claims.js';
import type { AuthInfo } from './auth-info.js';

/**
 * Builds the {@link AuthInfo} of a verified JWT claims set (RFC 9068 §2.2 claim names). The claims object, fresh from
 * the verifier, is frozen in place rather than copied.
 */
export function authInfoFromClaims(claims: Record<string, unknown>): AuthInfo {
  const clientId = [claims.client_id, claims.azp, claims.cid].find((value) => typeof value === 'string') as
    string | undefined;
  const audience = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  return Object.freeze({
    subject: String(claims.sub),
    clientId,
    scopes: Object.freeze(readScopesFromClaims(claims)),
    expiresAt: Number(claims.exp),
    audience: Object.freeze(audience.filter((value): value is string => typeof value === 'string')),
    issuer: String(claims.iss),
    claims: Object.freeze(claims),
  });
}
