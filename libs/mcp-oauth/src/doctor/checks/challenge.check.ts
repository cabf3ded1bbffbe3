import { parseBearerChallenge } from '../../testing/parse-bearer-challenge.js';
import { type DoctorContext } from '../doctor-context.js';
import { DoctorHttpError } from '../doctor-http.js';
import { type CheckOutcome, fail, pass } from '../doctor-report.js';
import { initializeRequest, mcpPostHeaders } from '../mcp-json-rpc.js';
import { describeUnexpectedStatus, isHttpUrl, quoteForMessage } from './check-helpers.js';

/**
 * `challenge`: an MCP `initialize` POSTed without a token gets `401` with one well-formed `Bearer` challenge
 * (RFC 6750 §3), without an `error` parameter (RFC 6750 §3.1: no error code when the request carried no
 * authentication), with `resource_metadata` as an absolute URL (RFC 9728 §5.1; MCP Authorization, Protected Resource
 * Metadata Discovery Requirements). Records the challenge for later checks, or that the server is unreachable.
 */
export async function checkChallenge(context: DoctorContext): Promise<CheckOutcome> {
  let exchange;
  try {
    exchange = await context.http.request(context.mcpUrl.href, {
      method: 'POST',
      headers: mcpPostHeaders(),
      body: initializeRequest(1),
    });
  } catch (error) {
    if (!(error instanceof DoctorHttpError)) throw error;
    context.unreachable = error.message;
    return fail(`could not reach the MCP endpoint: ${error.message}`);
  }
  if (exchange.status !== 401) {
    if (exchange.status >= 200 && exchange.status < 300) {
      return fail(
        `POST ${context.mcpUrl.href} without a token answered ${exchange.status}: the endpoint is not protected, so MCP clients never start authorization; require a Bearer token and answer 401 with a challenge (MCP Authorization)`,
      );
    }
    const wrongUrl = exchange.status === 404 || exchange.status === 405 ? ' (is this the MCP endpoint URL?)' : '';
    return fail(
      `POST ${context.mcpUrl.href} without a token answered ${describeUnexpectedStatus(exchange)}${wrongUrl}; it must answer 401 with WWW-Authenticate: Bearer resource_metadata="..." (RFC 6750 §3, RFC 9728 §5.1)`,
    );
  }
  const header = exchange.headers.get('www-authenticate');
  if (!header) {
    return fail(
      `the 401 has no WWW-Authenticate header; add WWW-Authenticate: Bearer resource_metadata="<metadata URL>" so clients can find the authorization server (RFC 6750 §3, RFC 9728 §5.1)`,
    );
  }
  const challenge = parseBearerChallenge(header);
  if (!challenge) {
    return fail(
      `WWW-Authenticate ${quoteForMessage(header)} is not one well-formed Bearer challenge; send Bearer resource_metadata="<metadata URL>" with each parameter once (RFC 6750 §3)`,
    );
  }
  context.challenge = challenge;
  const problems: string[] = [];
  if (challenge.error !== undefined) {
    problems.push(
      `it carries error="${challenge.error}" although the request had no credentials; leave out error (and error_description) when no token was sent (RFC 6750 §3.1)`,
    );
  }
  const metadataUrl = challenge.resource_metadata;
  if (metadataUrl === undefined) {
    problems.push(
      'it has no resource_metadata; add resource_metadata="<URL of your protected resource metadata>" (RFC 9728 §5.1) so clients find it',
    );
  } else if (!isHttpUrl(metadataUrl)) {
    problems.push(
      `resource_metadata ${quoteForMessage(metadataUrl)} is not an absolute http(s) URL; give the full URL (RFC 9728 §5.1)`,
    );
  } else {
    context.challengeMetadataUrl = new URL(metadataUrl).href;
  }
  if (problems.length > 0) return fail(`the 401 challenge is wrong: ${problems.join('; ')}`);
  return pass(`401 with a Bearer challenge, no error code, resource_metadata=${context.challengeMetadataUrl}`);
}
