import { InvalidRequestError, InvalidTokenError } from '../errors/failures.js';
import { type McpOAuthRequest, rawHeadersOf, requestTargetOf } from './http-request.js';

/** Longest token accepted before any parsing or cryptography (a JWT access token is rarely above 4 KiB). */
export const MAX_TOKEN_LENGTH = 8192;

/** RFC 6750 §2.1 b64token (no overlap between the repeated classes: linear on any input). */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function isFormBody(request: McpOAuthRequest): boolean {
  const contentType = request.headers['content-type'];
  return typeof contentType === 'string' && contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** A query parameter name as `application/x-www-form-urlencoded` decodes it (`+` is a space), or `undefined`. */
function decodedName(name: string): string | undefined {
  if (!name.includes('%') && !name.includes('+')) return name;
  try {
    return decodeURIComponent(name.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/**
 * True when the query of the request target names an `access_token` parameter (percent-encoded spellings included).
 * One pass over the query (the URLSearchParams parser grows faster than linearly with the number of parameters).
 */
function hasQueryToken(target: string): boolean {
  const queryStart = target.indexOf('?');
  if (queryStart < 0) return false;
  const fragment = target.indexOf('#', queryStart);
  const query = target.slice(queryStart + 1, fragment < 0 ? undefined : fragment);
  let start = 0;
  while (start <= query.length) {
    const ampersand = query.indexOf('&', start);
    const end = ampersand < 0 ? query.length : ampersand;
    const parameter = query.slice(start, end);
    const equals = parameter.indexOf('=');
    if (decodedName(equals < 0 ? parameter : parameter.slice(0, equals)) === 'access_token') return true;
    start = end + 1;
  }
  return false;
}

/** The Authorization header lines as received (Node folds duplicates in `headers`, so read the raw lines). */
function authorizationHeaders(request: McpOAuthRequest): string[] {
  const values: string[] = [];
  const raw = rawHeadersOf(request);
  for (let index = 0; index < raw.length; index += 2) {
    if (raw[index].length === 13 && raw[index].toLowerCase() === 'authorization') values.push(raw[index + 1]);
  }
  return values;
}

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * The credentials of a `Bearer` Authorization value (RFC 6750 §2.1; the scheme is case-insensitive, RFC 9110
 * §11.1): `undefined` for another scheme, else the text after the scheme and its whitespace. A loop, not a regular
 * expression: linear on any input.
 */
function bearerCredentials(authorization: string): string | undefined {
  const value = authorization.trim();
  if (value.length < 6 || value.slice(0, 6).toLowerCase() !== 'bearer') return undefined;
  if (value.length === 6) return '';
  if (!isSpaceOrTab(value.charCodeAt(6))) return undefined;
  let start = 7;
  while (start < value.length && isSpaceOrTab(value.charCodeAt(start))) start += 1;
  return value.slice(start);
}

/**
 * Extracts the bearer token of a request, allowing only the Authorization request header field
 * (RFC 6750 §2.1; MCP Authorization: Token Requirements forbid the query string).
 *
 * - no `Authorization: Bearer` header -> `undefined` (other schemes, cookies and other headers are not credentials)
 * - a token in the query (`?access_token=`) or a form body, or two `Authorization` headers -> {@link InvalidRequestError}
 * - `Bearer` with an empty, oversized or non-b64token value -> {@link InvalidTokenError}
 */
export function extractBearerToken(request: McpOAuthRequest): string | undefined {
  const authorization = authorizationHeaders(request);
  if (authorization.length > 1) {
    throw new InvalidRequestError(
      'duplicate_credentials',
      'The request has more than one Authorization header; send exactly one.',
    );
  }
  if (hasQueryToken(requestTargetOf(request))) {
    throw new InvalidRequestError(
      'token_in_query',
      'Access tokens must not be sent in the query string; use the Authorization: Bearer header.',
    );
  }
  const body = request.body;
  if (isFormBody(request) && typeof body === 'object' && body !== null && 'access_token' in body) {
    throw new InvalidRequestError(
      'token_in_body',
      'Access tokens must not be sent in the request body; use the Authorization: Bearer header.',
    );
  }
  if (authorization.length === 0) return undefined;
  const token = bearerCredentials(authorization[0]);
  if (token === undefined) return undefined;
  if (token === '') throw new InvalidTokenError('malformed', 'The Bearer token is empty.');
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new InvalidTokenError('malformed', `The Bearer token is longer than ${MAX_TOKEN_LENGTH} characters.`);
  }
  if (!B64TOKEN.test(token)) throw new InvalidTokenError('malformed', 'The Bearer token is malformed.');
  return token;
}
