import type { AuthInfo as SdkAuthInfo } from '@modelcontextprotocol/server';
import type { AuthInfo } from '../auth/auth-info.js';

/**
 * The verified caller in the MCP SDK's `AuthInfo` shape (what tool handlers read as `ctx.http.authInfo`), with the
 * library's {@link AuthInfo} as `extra.caller`. `token` is empty on purpose: no access token reaches tool code (MCP
 * Authorization: Access Token Privilege Restriction, no token passthrough).
 */
export function toSdkAuthInfo(caller: AuthInfo, resource: string | undefined): SdkAuthInfo {
  return {
    token: '',
    clientId: caller.clientId ?? '',
    scopes: [...caller.scopes],
    expiresAt: caller.expiresAt,
    ...(resource !== undefined && URL.canParse(resource) ? { resource: new URL(resource) } : {}),
    extra: { caller, subject: caller.subject, principal: caller.principal, issuer: caller.issuer },
  };
}

/** The library's {@link AuthInfo} back from the SDK's `AuthInfo` built by {@link toSdkAuthInfo}. */
export function callerOf(authInfo: SdkAuthInfo | undefined): AuthInfo | undefined {
  return authInfo?.extra?.caller as AuthInfo | undefined;
}
