import { type DoctorContext } from '../doctor-context.js';
import { type CheckOutcome, fail, pass } from '../doctor-report.js';
import { initializeRequest, mcpPostHeaders } from '../mcp-json-rpc.js';
import { describeUnexpectedStatus, headerList, quoteForMessage } from './check-helpers.js';

/** Request headers a browser-based MCP client sends on the POST, as it lists them in the preflight. */
export const PREFLIGHT_REQUEST_HEADERS = ['authorization', 'content-type', 'mcp-protocol-version'];

function allowOriginProblem(allowOrigin: string | null, origin: string, what: string): string | undefined {
  if (allowOrigin === '*' || allowOrigin === origin) return undefined;
  return `${what} has Access-Control-Allow-Origin ${allowOrigin === null ? '(none)' : quoteForMessage(allowOrigin)} for Origin ${origin}; echo the allowed Origin (or send *)`;
}

/**
 * `cors`: browser-based MCP clients can call the endpoint. The preflight (`OPTIONS` with `Origin` = the MCP URL's own
 * origin, which servers validating `Origin` allow, MCP Streamable HTTP security warning) is answered 2xx without a
 * challenge, allows the Origin, and lists `authorization` explicitly in `Access-Control-Allow-Headers` (Fetch
 * Standard, CORS protocol: the `*` wildcard never covers `Authorization`) and `content-type` and
 * `mcp-protocol-version` (or `*`); and the 401 to a POST with that Origin exposes `WWW-Authenticate` through
 * `Access-Control-Expose-Headers`, so the client can read `resource_metadata` (RFC 9728 §5.1).
 */
export async function checkCors(context: DoctorContext): Promise<CheckOutcome> {
  const url = context.mcpUrl.href;
  const origin = context.mcpUrl.origin;
  const problems: string[] = [];

  const preflight = await context.http.request(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': PREFLIGHT_REQUEST_HEADERS.join(', '),
    },
  });
  if (preflight.status < 200 || preflight.status >= 300) {
    problems.push(
      `the preflight OPTIONS ${url} answered ${describeUnexpectedStatus(preflight)}; answer CORS preflights with 204 before any authentication (a preflight never carries a token)`,
    );
  } else {
    const originProblem = allowOriginProblem(
      preflight.headers.get('access-control-allow-origin'),
      origin,
      'the preflight',
    );
    if (originProblem) problems.push(originProblem);
    const allowed = headerList(preflight.headers.get('access-control-allow-headers'));
    if (!allowed.includes('authorization')) {
      problems.push(
        `the preflight's Access-Control-Allow-Headers (${allowed.join(', ') || 'none'}) does not list Authorization; list it explicitly: * does not cover Authorization (Fetch Standard, CORS protocol), so browsers never send the token`,
      );
    }
    const missing = PREFLIGHT_REQUEST_HEADERS.filter(
      (name) => name !== 'authorization' && !allowed.includes(name) && !allowed.includes('*'),
    );
    if (missing.length > 0) {
      problems.push(`the preflight's Access-Control-Allow-Headers lacks ${missing.join(', ')}; allow them (or *)`);
    }
  }

  const post = await context.http.request(url, {
    method: 'POST',
    headers: { ...mcpPostHeaders(), origin },
    body: initializeRequest(1),
  });
  if (post.status !== 401) {
    problems.push(
      `a POST without a token from Origin ${origin} answered ${describeUnexpectedStatus(post)} instead of 401, so a browser client gets no challenge`,
    );
  } else {
    const originProblem = allowOriginProblem(post.headers.get('access-control-allow-origin'), origin, 'the 401');
    if (originProblem) problems.push(originProblem);
    const exposed = headerList(post.headers.get('access-control-expose-headers'));
    if (!exposed.includes('www-authenticate') && !exposed.includes('*')) {
      problems.push(
        `the 401's Access-Control-Expose-Headers (${exposed.join(', ') || 'none'}) does not include WWW-Authenticate, so browser clients cannot read the challenge; add WWW-Authenticate to Access-Control-Expose-Headers`,
      );
    }
  }

  if (problems.length > 0) return fail(problems.join('; '));
  return pass(
    `preflight from ${origin} allowed with Authorization, Content-Type, MCP-Protocol-Version; WWW-Authenticate exposed on the 401`,
  );
}
