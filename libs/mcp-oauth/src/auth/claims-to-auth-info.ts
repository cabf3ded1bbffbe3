import { readScopesFromClaims } from '../scopes/scope-claims.js';
import type { AuthInfo } from './auth-info.js';

/**
 * The {@link AuthInfo.principal} of a subject in an issuer's user namespace: `<namespace>#<subject>`, with `%` and
 * `#` of the namespace escaped so that no two (namespace, subject) pairs give the same key.
 *
 * @example
 * principalKey('https://acme.scalekit.com', 'alice'); // 'https://acme.scalekit.com#alice'
 */
export function principalKey(namespace: string, subject: string): string {
  return `${namespace.replaceAll('%', '%25').replaceAll('#', '%23')}#${subject}`;
}

/**
 * Builds the {@link AuthInfo} of a verified JWT claims set (RFC 9068 §2.2 claim names). The claims object, fresh from
 * the verifier, is frozen in place rather than copied. `principalNamespaces` maps issuer spellings to one user
 * namespace (an issuer not listed is its own namespace).
 *
 * @example
 * authInfoFromClaims(payload, { 'https://env/resources/res_1': 'https://env' });
 */
export function authInfoFromClaims(
  claims: Record<string, unknown>,
  principalNamespaces: Readonly<Record<string, string>> = {},
): AuthInfo {
  const clientId = [claims.client_id, claims.azp, claims.cid].find((value) => typeof value === 'string') as
    string | undefined;
  const audience = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  const issuer = String(claims.iss);
  const subject = String(claims.sub);
  const namespace = Object.hasOwn(principalNamespaces, issuer) ? principalNamespaces[issuer] : issuer;
  return Object.freeze({
    subject,
    principal: principalKey(namespace, subject),
    clientId,
    scopes: Object.freeze(readScopesFromClaims(claims)),
    expiresAt: Number(claims.exp),
    audience: Object.freeze(audience.filter((value): value is string => typeof value === 'string')),
    issuer,
    claims: Object.freeze(claims),
  });
}
