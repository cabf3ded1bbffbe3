import { trimTrailingSlashes } from '../http/request-path.js';
import type { ScalekitOptions } from './mcp-oauth.options.js';
import type { OptionProblems } from './option-checks.js';
import type { ResolvedAuthority } from './resolved-options.js';

const RESOURCE_ID = /^[A-Za-z0-9_.:-]+$/;

/**
 * The Scalekit preset: from the environment URL and the MCP server's resource id it derives the JWKS
 * (`{env}/keys`), the accepted issuers (`{env}` and `{env}/resources/{resourceId}`: Scalekit is migrating between
 * them, and both name one user namespace), the resource id as an accepted audience, and the advertised
 * authorization server (`{env}/resources/{resourceId}`, RFC 9728 §2).
 */
export function resolveScalekitPreset(
  scalekit: ScalekitOptions | undefined,
  problems: OptionProblems,
): Extract<ResolvedAuthority, { kind: 'scalekit' }> | undefined {
  const environment = problems.url('scalekit.environmentUrl', scalekit?.environmentUrl, true);
  const resourceId = scalekit?.resourceId;
  if (typeof resourceId !== 'string' || !RESOURCE_ID.test(resourceId)) {
    problems.add(
      "scalekit.resourceId: is missing or malformed; set it to the MCP server's resource id from the Scalekit dashboard (res_...).",
    );
    return undefined;
  }
  if (!environment || !scalekit) return undefined;
  const env = trimTrailingSlashes(environment.href);
  const resourceIssuer = `${env}/resources/${resourceId}`;
  return {
    kind: 'scalekit',
    scalekit: { ...scalekit, environmentUrl: env },
    issuers: [env, resourceIssuer],
    jwksUri: `${env}/keys`,
    presetAudiences: [resourceId],
    authorizationServers: [resourceIssuer],
    principalNamespaces: { [env]: env, [resourceIssuer]: env },
  };
}
