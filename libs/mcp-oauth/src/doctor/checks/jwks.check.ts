import { type DoctorContext } from '../doctor-context.js';
import { type CheckOutcome, fail, pass } from '../doctor-report.js';
import { describeUnexpectedStatus, isHttpUrl, parseJsonObject } from './check-helpers.js';
import { forEachAuthorizationServer } from './authorization-server-metadata.check.js';

/**
 * `jwks`: each authorization server's `jwks_uri` (RFC 8414 §2) answers 200 with a JSON JWK Set holding at least one
 * key (RFC 7517 §5), so the resource server can verify the JWT access tokens it issues (RFC 9068 §4).
 */
export function checkJwks(context: DoctorContext): Promise<CheckOutcome> {
  return forEachAuthorizationServer(context, async ({ metadata }) => {
    const jwksUri = metadata.jwks_uri;
    if (!isHttpUrl(jwksUri)) {
      return fail(
        `${jwksUri === undefined ? 'no jwks_uri' : `jwks_uri ${JSON.stringify(jwksUri)} is not an absolute URL`} in the metadata; publish the signing keys and advertise jwks_uri (RFC 8414 §2) so resource servers can verify tokens`,
      );
    }
    const exchange = await context.http.request(jwksUri, { headers: { accept: 'application/json' } });
    if (exchange.status !== 200) {
      return fail(
        `GET ${jwksUri} answered ${describeUnexpectedStatus(exchange)}; serve the JWK Set there (RFC 7517 §5)`,
      );
    }
    const keys = parseJsonObject(exchange.body)?.keys;
    if (!Array.isArray(keys)) {
      return fail(`${jwksUri} is not a JSON JWK Set ({"keys": [...]}, RFC 7517 §5)`);
    }
    if (keys.length === 0) {
      return fail(
        `the JWK Set at ${jwksUri} has no keys, so no token can be verified; publish the public key(s) the authorization server signs with`,
      );
    }
    return pass(`${jwksUri} has ${keys.length} key${keys.length === 1 ? '' : 's'}`);
  });
}
