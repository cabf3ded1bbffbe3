import { InvalidTokenError } from '../errors/failures.js';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)$/;
/** Last characters of a canonical base64url string whose length is 2 or 3 (mod 4): the unused low bits are zero. */
const CANONICAL_LAST_CHAR: Record<number, RegExp> = { 2: /[AQgw]$/, 3: /[AEIMQUYcgkosw048]$/ };

/**
 * A JWS in compact serialisation is three unpadded base64url segments (RFC 7515 §3.1, §2). Anything else is
 * malformed, including a padded or non-canonical signature (unused trailing bits set), which decoders would otherwise
 * accept: one token must have exactly one spelling, or anything keyed on the token string could be sidestepped.
 */
export function assertCompactJws(token: string): void {
  const signature = COMPACT_JWS.exec(token)?.[1];
  const remainder = signature === undefined ? 1 : signature.length % 4;
  if (remainder === 1 || (remainder !== 0 && !CANONICAL_LAST_CHAR[remainder].test(signature as string))) {
    throw new InvalidTokenError('malformed', 'The access token is malformed (not a compact JWS).');
  }
}
