import { type DoctorContext } from '../doctor-context.js';
import { type CheckOutcome, fail, pass } from '../doctor-report.js';
import { forEachAuthorizationServer } from './authorization-server-metadata.check.js';

/**
 * `pkce`: each authorization server advertises `S256` in `code_challenge_methods_supported` (RFC 8414 §2,
 * RFC 7636 §4.2). MCP Authorization, Authorization Code Protection: clients MUST verify this and MUST refuse to
 * proceed when it is absent.
 */
export function checkPkce(context: DoctorContext): Promise<CheckOutcome> {
  return forEachAuthorizationServer(context, ({ metadata }) => {
    const methods = metadata.code_challenge_methods_supported;
    if (Array.isArray(methods) && methods.includes('S256')) {
      return pass('code_challenge_methods_supported includes S256');
    }
    const found = methods === undefined ? 'is missing' : `is ${JSON.stringify(methods)}`;
    return fail(
      `code_challenge_methods_supported ${found}; advertise ["S256"] (and support PKCE S256): MCP clients refuse to proceed without it (MCP Authorization, Authorization Code Protection; RFC 8414 §2)`,
    );
  });
}
