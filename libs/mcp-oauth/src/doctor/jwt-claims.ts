/**
 * The claims of a compact JWS (RFC 7519 §7.2 steps 1-2 and 7), decoded WITHOUT verifying the signature: for
 * reporting what a token says, never for trusting it. `undefined` when the value is not a three-part JWT with a
 * JSON object payload (an opaque token, RFC 6749 §1.4).
 *
 * @example
 * decodeJwtClaimsUnverified(token)?.aud; // 'https://mcp.example.com/mcp'
 */
export function decodeJwtClaimsUnverified(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
