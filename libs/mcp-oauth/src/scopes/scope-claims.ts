/**
 * Reads the scopes granted by a token from any of the claim forms in use:
 * `scope` (space-delimited string, RFC 8693 §4.2 / RFC 9068 §2.2.3), `scp` (string or array, Entra/Okta) and
 * `scopes` (array, Scalekit). Values are de-duplicated; odd whitespace is tolerated; non-strings are ignored.
 */
export function readScopesFromClaims(claims: Record<string, unknown>): string[] {
  const scopes = new Set<string>();
  for (const claim of ['scope', 'scp', 'scopes']) {
    const value = claims[claim];
    const parts = typeof value === 'string' ? value.split(/\s+/) : Array.isArray(value) ? value : [];
    for (const part of parts) {
      if (typeof part !== 'string') continue;
      for (const scope of part.split(/\s+/)) if (scope !== '') scopes.add(scope);
    }
  }
  return [...scopes];
}
