import { randomUUID } from 'node:crypto';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The request's correlation id: the caller's `X-Request-Id` when it is a short safe token (so ids flow across
 * services), else a new UUID. Never derived from credentials.
 */
export function correlationIdFor(headers: Record<string, string | string[] | undefined>): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}
