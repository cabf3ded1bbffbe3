import { type DoctorContext, effectiveMetadata, NO_METADATA } from '../doctor-context.js';
import { type CheckOutcome, fail, notChecked, pass } from '../doctor-report.js';

const OFFLINE_ACCESS = 'offline_access';

/**
 * `scopes`: the metadata's `scopes_supported` (RFC 9728 §2) is a non-empty array of scope names, which MCP clients
 * request when the challenge names no scope (MCP Authorization, Scope Selection Strategy); neither it nor the 401
 * challenge's `scope` contains `offline_access` (MCP 2026-07-28, Scope Selection: a resource must not advertise it;
 * refresh tokens are the authorization server's business).
 */
export async function checkScopes(context: DoctorContext): Promise<CheckOutcome> {
  const metadata = effectiveMetadata(context);
  if (!metadata) return notChecked(NO_METADATA);
  const scopes = metadata.document.scopes_supported;
  const problems: string[] = [];
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((scope) => typeof scope === 'string')) {
    problems.push(
      `scopes_supported is ${scopes === undefined ? 'missing' : JSON.stringify(scopes)}; list the scopes your tools need (RFC 9728 §2), so clients know what to request when the challenge names none (MCP Authorization, Scope Selection Strategy)`,
    );
  } else if (scopes.includes(OFFLINE_ACCESS)) {
    problems.push(
      `scopes_supported contains offline_access; remove it (MCP 2026-07-28, Scope Selection: the resource does not advertise offline_access)`,
    );
  }
  if ((context.challenge?.scope ?? '').split(' ').includes(OFFLINE_ACCESS)) {
    problems.push("the 401 challenge's scope contains offline_access; remove it (MCP 2026-07-28, Scope Selection)");
  }
  if (problems.length > 0) return fail(problems.join('; '));
  return pass(`scopes_supported: ${(scopes as string[]).join(' ')}`);
}
