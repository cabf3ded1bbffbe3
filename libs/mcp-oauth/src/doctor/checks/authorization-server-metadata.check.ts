import {
  type DiscoveredAuthorizationServer,
  type DoctorContext,
  effectiveMetadata,
  NO_METADATA,
} from '../doctor-context.js';
import { DoctorHttpError } from '../doctor-http.js';
import { type CheckOutcome, fail, notChecked, pass } from '../doctor-report.js';
import { DOCTOR_PROTOCOL_VERSION } from '../mcp-json-rpc.js';
import { authorizationServerMetadataLocations } from '../well-known-urls.js';
import { isHttpUrl, isJsonContentType, parseJsonObject, quoteForMessage } from './check-helpers.js';

type Discovery = { found: DiscoveredAuthorizationServer; message: string } | { problem: string };

/**
 * Looks for one authorization server's metadata the way the MCP SDK client does (`discoverAuthorizationServerMetadata`):
 * each location in order, moving on after a 4xx or 502, stopping at the first 200 or at another 5xx; the document's
 * `issuer` must equal the `authorization_servers` entry (RFC 8414 §3.3; OpenID Connect Discovery 1.0 §4.3).
 */
async function discover(context: DoctorContext, issuer: string): Promise<Discovery> {
  const misses: string[] = [];
  for (const location of authorizationServerMetadataLocations(issuer)) {
    let exchange;
    try {
      exchange = await context.http.request(location.url, {
        headers: { accept: 'application/json', 'mcp-protocol-version': DOCTOR_PROTOCOL_VERSION },
      });
    } catch (error) {
      if (!(error instanceof DoctorHttpError)) throw error;
      return { problem: `${issuer}: ${error.message}` };
    }
    if (exchange.status !== 200) {
      misses.push(`${location.url} answered ${exchange.status}`);
      if (exchange.status >= 500 && exchange.status !== 502) {
        return { problem: `${issuer}: ${misses.join(', ')}; MCP clients stop there: fix the server error` };
      }
      continue;
    }
    const metadata = parseJsonObject(exchange.body);
    if (!metadata || !isJsonContentType(exchange.headers.get('content-type'))) {
      return {
        problem: `${issuer}: ${location.url} answered 200 but not with a JSON object (application/json); serve the metadata as JSON (RFC 8414 §3.2)`,
      };
    }
    if (metadata.issuer !== issuer) {
      return {
        problem: `${issuer}: the metadata at ${location.url} has issuer ${JSON.stringify(metadata.issuer)}, not the authorization_servers entry "${issuer}"; they must be identical (RFC 8414 §3.3) and MCP clients reject the metadata otherwise: make the authorization_servers entry the exact issuer`,
      };
    }
    const kind = location.type === 'oauth' ? 'RFC 8414 metadata' : 'OpenID Connect discovery document';
    const fallback = misses.length > 0 ? ` (after ${misses.join(', ')})` : '';
    return {
      found: { issuer, metadataUrl: location.url, metadata },
      message: `${issuer}: ${kind} at ${location.url}${fallback}, issuer matches`,
    };
  }
  const preferred = authorizationServerMetadataLocations(issuer)[0].url;
  return {
    problem: `${issuer}: no authorization server metadata found (${misses.join(', ')}); serve RFC 8414 metadata at ${preferred} (RFC 8414 §3.1)`,
  };
}

/**
 * `authorization-server-metadata`: the protected resource metadata names at least one authorization server
 * (RFC 9728 §2; MCP Authorization, Authorization Server Location), and for each entry RFC 8414 metadata is found at
 * the path-inserted URL, or an OpenID Connect discovery document at either of its URLs, in the order MCP clients try
 * them (MCP Authorization, Authorization Server Metadata Discovery), with `issuer` equal to the entry (RFC 8414 §3.3).
 * Records the usable servers for `pkce`, `registration` and `jwks`.
 */
export async function checkAuthorizationServerMetadata(context: DoctorContext): Promise<CheckOutcome> {
  const metadata = effectiveMetadata(context);
  if (!metadata) return notChecked(NO_METADATA);
  const entries = metadata.document.authorization_servers;
  if (!Array.isArray(entries) || entries.length === 0) {
    return fail(
      `the metadata at ${metadata.url} lists no authorization_servers; add your authorization server's issuer URL (RFC 9728 §2; MCP Authorization, Authorization Server Location)`,
    );
  }
  const found: DiscoveredAuthorizationServer[] = [];
  const messages: string[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    if (!isHttpUrl(entry)) {
      problems.push(
        `authorization_servers entry ${quoteForMessage(JSON.stringify(entry))} is not an absolute http(s) URL (RFC 9728 §2)`,
      );
      continue;
    }
    const discovery = await discover(context, entry);
    if ('problem' in discovery) {
      problems.push(discovery.problem);
    } else {
      found.push(discovery.found);
      messages.push(discovery.message);
    }
  }
  context.authorizationServers = found;
  if (problems.length > 0) return fail(problems.join('; '));
  return pass(messages.join('; '));
}

/** The reason `pkce`, `registration` and `jwks` give when no authorization server metadata is usable. */
export const NO_AUTHORIZATION_SERVER =
  'no usable authorization server metadata; fix authorization-server-metadata first';

/**
 * Runs `evaluate` on each usable authorization server and joins the verdicts: the shared shape of the checks that
 * read authorization server metadata.
 */
export function forEachAuthorizationServer(
  context: DoctorContext,
  evaluate: (server: DiscoveredAuthorizationServer) => CheckOutcome | Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  const servers = context.authorizationServers ?? [];
  if (servers.length === 0) return Promise.resolve(notChecked(NO_AUTHORIZATION_SERVER));
  return Promise.all(servers.map(async (server) => ({ server, outcome: await evaluate(server) }))).then((results) => {
    const failed = results.filter(({ outcome }) => !outcome.ok);
    const shown = failed.length > 0 ? failed : results;
    const message = shown.map(({ server, outcome }) => `${server.issuer}: ${outcome.message}`).join('; ');
    return failed.length > 0 ? fail(message) : pass(message);
  });
}
