import { auth } from '@modelcontextprotocol/client';
import type { HeadlessOAuthClient } from './headless-oauth-client.js';

/**
 * Runs the MCP SDK's whole authorization flow for the MCP endpoint `serverUrl` with a {@link HeadlessOAuthClient}
 * (protected resource metadata, authorization server metadata, dynamic registration, authorization code with PKCE,
 * token) and returns the access token; `scope` is what to ask for (the server's choice when omitted).
 */
export async function authorizeHeadlessly(
  client: HeadlessOAuthClient,
  serverUrl: string,
  scope?: string,
): Promise<string> {
  const started = await auth(client, { serverUrl, scope });
  if (started === 'REDIRECT') {
    const callback = client.callbackParams;
    if (!callback?.get('code')) throw new Error('The authorization server returned no code.');
    await auth(client, {
      serverUrl,
      authorizationCode: callback.get('code') as string,
      iss: callback.get('iss') ?? undefined,
    });
  }
  const accessToken = client.tokens()?.access_token;
  if (!accessToken) throw new Error('No access token was issued.');
  return accessToken;
}
