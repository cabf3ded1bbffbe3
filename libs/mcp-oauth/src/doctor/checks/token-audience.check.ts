import { type DoctorContext, effectiveMetadata, NO_METADATA } from '../doctor-context.js';
import { type CheckOutcome, fail, notChecked, pass } from '../doctor-report.js';
import { decodeJwtClaimsUnverified } from '../jwt-claims.js';

/**
 * `token-audience` (with `--token`): the token's `aud` (decoded, not verified) contains the metadata's `resource`,
 * i.e. it was issued for this server (RFC 8707 §2; RFC 9068 §3; MCP Authorization, Token Audience Binding and
 * Validation). A token that is not a JWT cannot be checked here and passes with that message.
 */
export async function checkTokenAudience(context: DoctorContext): Promise<CheckOutcome> {
  const claims = context.token === undefined ? undefined : decodeJwtClaimsUnverified(context.token);
  if (!claims) {
    return pass(
      'the token is not a JWT (an opaque token?), so its audience cannot be checked here; tools-list shows whether the server accepts it',
    );
  }
  const metadata = effectiveMetadata(context);
  if (!metadata) return notChecked(NO_METADATA);
  const resource = metadata.document.resource;
  if (typeof resource !== 'string') return notChecked('the metadata has no resource; fix resource-match first');
  const audience = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  const expiry =
    typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()
      ? ` (note: the token expired at ${new Date(claims.exp * 1000).toISOString()})`
      : '';
  if (audience.includes(resource)) return pass(`the token's aud contains "${resource}"${expiry}`);
  const found = claims.aud === undefined ? 'has no aud' : `has aud ${JSON.stringify(claims.aud)}`;
  return fail(
    `the token ${found}, not the resource "${resource}", so this server must reject it; request the token with resource=${resource} (RFC 8707) so the authorization server issues it for this server${expiry}`,
  );
}
