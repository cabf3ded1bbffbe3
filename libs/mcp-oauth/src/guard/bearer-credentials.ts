import { InvalidRequestError, InvalidTokenError } from './mcp-oauth.errors.js';

/** The parts of an HTTP request the credential extractor reads (Express and Node's `IncomingMessage` fit). */
export interface CredentialSource {
  rawHeaders: string[];
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** Longest token accepted before any parsing or cryptography (a JWT access token is rarely above 4 KiB). */
export const MAX_TOKEN_LENGTH = 8192;

const BEARER_HEADER = /^Bearer(?:[ \t]+(.*))?$/i;
/** RFC 6750 §2.1 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function isFormBody(source: CredentialSource): boolean {
  const contentType = source.headers['content-type'];
  return typeof contentType === 'string' && contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function hasQueryToken(url: string | undefined): boolean {
  const queryStart = url?.indexOf('?') ?? -1;
  if (queryStart < 0 || !url) return false;
  return new URLSearchParams(url.slice(queryStart + 1)).has('access_token');
}

/**
 * Extracts the bearer token of a request, allowing only the Authorization request header field
 * (RFC 6750 §2.1; MCP Authorization: Token Requirements forbid the query string).
 *
 * - no `Authorization: Bearer` header -> `undefined` (other schemes, cookies and other headers are not credentials)
 * - a token in the query (`?access_token=`) or a form body, or two `Authorization` headers -> {@link InvalidRequestError}
 * - `Bearer` with an empty, oversized or non-b64token value -> {@link InvalidTokenError}
 */
export function extractBearerToken(source: CredentialSource): string | undefined {
  let authorization: string | undefined;
  let authorizationHeaders = 0;
  const raw = source.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    if (raw[index].length === 13 && raw[index].toLowerCase() === 'authorization') {
      authorizationHeaders += 1;
      authorization = raw[index + 1];
    }
  }
  if (authorizationHeaders > 1) {
    throw new InvalidRequestError('The request has more than one Authorization header; send exactly one.');
  }
  if (hasQueryToken(source.url)) {
    throw new InvalidRequestError(
      'Access tokens must not be sent in the query string; use the Authorization: Bearer header.',
    );
  }
  if (isFormBody(source) && typeof source.body === 'object' && source.body !== null && 'access_token' in source.body) {
    throw new InvalidRequestError(
      'Access tokens must not be sent in the request body; use the Authorization: Bearer header.',
    );
  }
  if (authorization === undefined) return undefined;

  const match = BEARER_HEADER.exec(authorization.trim());
  if (!match) return undefined;
  const token = match[1]?.trim() ?? '';
  if (token === '') throw new InvalidTokenError('malformed', 'The Bearer token is empty.');
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new InvalidTokenError('malformed', `The Bearer token is longer than ${MAX_TOKEN_LENGTH} characters.`);
  }
  if (!B64TOKEN.test(token)) throw new InvalidTokenError('malformed', 'The Bearer token is malformed.');
  return token;
}
