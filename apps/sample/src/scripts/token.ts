import { auth } from '@modelcontextprotocol/client';
import { parseArgs } from 'node:util';
import { HeadlessOAuthClient } from '../dev-auth/headless-oauth-client.js';

const USAGE = `Usage: npm run token -- [--scope "todo:read todo:write"] [--sub <user>] [--url <MCP endpoint>]

Gets an access token from the running sample app's embedded authorization server, as a real OAuth client does
(protected resource metadata -> authorization server metadata -> dynamic registration -> authorization code with
PKCE -> token), and prints the JWT on stdout. The MCP endpoint defaults to MCP_SERVER_URL or
http://localhost:$PORT/mcp (PORT defaults to 3000).`;

/** `npm run token`: prints an access token from the sample's embedded authorization server. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scope: { type: 'string', default: 'todo:read todo:write' },
      sub: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const serverUrl = values.url ?? process.env.MCP_SERVER_URL ?? `http://localhost:${process.env.PORT ?? '3000'}/mcp`;
  const client = new HeadlessOAuthClient({ loginHint: values.sub, clientName: 'npm run token' });
  const started = await auth(client, { serverUrl, scope: values.scope });
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
  process.stdout.write(`${accessToken}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `npm run token failed: ${message}\nIs the sample running without SCALEKIT_* settings (npm start)?\n\n${USAGE}\n`,
  );
  process.exit(1);
});
