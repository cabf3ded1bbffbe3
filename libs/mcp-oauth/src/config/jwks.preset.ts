import type { JwksOptions } from './mcp-oauth.options.js';
import type { OptionProblems } from './option-checks.js';
import type { ResolvedAuthority } from './resolved-options.js';

/**
 * The generic preset for any standards-compliant authorization server (Auth0, Keycloak, Okta, Entra, the embedded
 * development one): the issuers (compared exactly), the JWK Set URI, and the first issuer as the advertised
 * authorization server. Each issuer is its own user namespace.
 */
export function resolveJwksPreset(
  jwks: JwksOptions | undefined,
  problems: OptionProblems,
): Extract<ResolvedAuthority, { kind: 'jwks' }> | undefined {
  const given = Array.isArray(jwks?.issuer) ? jwks.issuer : [jwks?.issuer];
  if (given.length === 0) problems.add('jwks.issuer: is empty; set the issuer (iss) of your authorization server.');
  const issuers: string[] = [];
  given.forEach((issuer, index) => {
    const name = given.length > 1 ? `jwks.issuer[${index}]` : 'jwks.issuer';
    if (problems.url(name, issuer, true)) issuers.push(issuer as string);
  });
  const jwksUri = problems.url('jwks.jwksUri', jwks?.jwksUri, true);
  if (!jwksUri || issuers.length !== given.length || issuers.length === 0) return undefined;
  return {
    kind: 'jwks',
    issuers,
    jwksUri: jwksUri.href,
    presetAudiences: [],
    authorizationServers: issuers.slice(0, 1),
    principalNamespaces: Object.fromEntries(issuers.map((issuer) => [issuer, issuer])),
  };
}
