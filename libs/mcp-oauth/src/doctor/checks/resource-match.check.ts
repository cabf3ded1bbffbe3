import { type DoctorContext, effectiveMetadata, NO_METADATA } from '../doctor-context.js';
import { type CheckOutcome, fail, notChecked, pass } from '../doctor-report.js';
import { isHttpUrl } from './check-helpers.js';

/**
 * The MCP TypeScript SDK client's rule (`checkResourceAllowed` in @modelcontextprotocol/client 2.x): same origin,
 * and the requested URL's path (with a trailing slash added) starts with the resource's path (likewise). The fragment
 * of the requested URL is ignored, as the SDK does.
 *
 * @example
 * sdkAcceptsResource('https://h/mcp', 'https://h/'); // true
 * sdkAcceptsResource('https://h/mcp', 'https://h/mcp/'); // false
 */
export function sdkAcceptsResource(requestedUrl: string, resource: string): boolean {
  const requested = new URL(requestedUrl);
  requested.hash = '';
  const configured = new URL(resource);
  if (requested.origin !== configured.origin) return false;
  if (requested.pathname.length < configured.pathname.length) return false;
  const withSlash = (path: string) => (path.endsWith('/') ? path : `${path}/`);
  return withSlash(requested.pathname).startsWith(withSlash(configured.pathname));
}

/** True when `resource` is the URL the client uses, character for character (as VS Code compares them). */
function exactlyEqual(context: DoctorContext, resource: string): boolean {
  return resource === context.mcpUrlInput || resource === context.mcpUrl.href;
}

/**
 * `resource-match`: the metadata's `resource` is exactly the MCP URL the client uses (RFC 9728 §3.3: the `resource`
 * value MUST be identical to the resource identifier the metadata was retrieved for; VS Code compares exactly), and
 * satisfies the MCP SDK's origin-and-path-prefix rule ({@link sdkAcceptsResource}); otherwise clients refuse to
 * authorize (MCP Authorization, Canonical Server URI; RFC 8707 resource indicators carry this value into `aud`).
 */
export async function checkResourceMatch(context: DoctorContext): Promise<CheckOutcome> {
  const metadata = effectiveMetadata(context);
  if (!metadata) return notChecked(NO_METADATA);
  const resource = metadata.document.resource;
  const wanted = context.mcpUrlInput;
  if (resource === undefined) {
    return fail(`the metadata at ${metadata.url} has no resource; set resource to "${wanted}" (RFC 9728 §2: REQUIRED)`);
  }
  if (!isHttpUrl(resource)) {
    return fail(
      `the metadata's resource ${JSON.stringify(resource)} is not an absolute http(s) URL; set it to "${wanted}" (RFC 9728 §2)`,
    );
  }
  const sdkOk = sdkAcceptsResource(wanted, resource);
  if (exactlyEqual(context, resource)) return pass(`resource "${resource}" is exactly the MCP URL`);
  const hint =
    resource === `${wanted}/` || `${resource}/` === wanted
      ? ' (only a trailing slash differs: that still counts)'
      : new URL(resource).origin !== context.mcpUrl.origin
        ? ` (origin ${new URL(resource).origin} instead of ${context.mcpUrl.origin})`
        : '';
  const clients = sdkOk
    ? 'the MCP SDK accepts it (same origin, path prefix) but VS Code requires the exact URL'
    : 'MCP SDK clients refuse to authorize ("Protected resource does not match") and so does VS Code';
  return fail(
    `the metadata's resource is "${resource}" but clients connect to "${wanted}"${hint}: ${clients}; set resource to exactly "${wanted}" (RFC 9728 §3.3), or connect with the resource URL if that is the canonical one`,
  );
}
