/**
 * What the guard learned from a verified access token, attached to the request as `request.auth` and given to
 * handlers by {@link McpAuth}. The raw token is deliberately absent: handlers must not pass it on downstream
 * (MCP Authorization: Access Token Privilege Restriction, no token passthrough).
 */
export interface AuthInfo {
  /** `sub`: the user (or the client, for client-credentials tokens) the token was issued to. */
  readonly subject: string;
  /**
   * A stable key for whose data this is: the issuer's user namespace and the subject. Equal for one authorization
   * server's issuer spellings (Scalekit's `{env}` and `{env}/resources/{id}`), different across unrelated issuers, so
   * two issuers' `sub: alice` never share data. Key per-user storage by this, not by `subject` alone.
   */
  readonly principal: string;
  /** The OAuth client that obtained the token (`client_id`, else `azp`, else `cid`), when the token says. */
  readonly clientId: string | undefined;
  /** Scopes granted, as the token lists them (from `scope`, `scp` or `scopes`). */
  readonly scopes: readonly string[];
  /** `exp`, in seconds since the epoch. */
  readonly expiresAt: number;
  /** `aud`, always as an array. */
  readonly audience: readonly string[];
  /** `iss`. */
  readonly issuer: string;
  /** Every claim of the token (read-only). */
  readonly claims: Readonly<Record<string, unknown>>;
}
