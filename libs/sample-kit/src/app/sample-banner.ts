import { protectedResourceMetadataUrl } from 'nestjs-mcp-oauth';
import { embeddedAuthSettings } from '../config/auth-mode.js';
import type { SampleEnv } from '../config/sample-env.js';

/** What to tell a developer once a sample server listens: its name, where everything is and how to connect. */
export function sampleBanner(env: SampleEnv, title: string): string {
  const resource = env.MCP_SERVER_URL;
  const embedded = embeddedAuthSettings(env);
  const authorizationServer = embedded
    ? `${embedded.issuer}  (embedded, development only; user "dev-user", or any login_hint)`
    : `${env.SCALEKIT_ENVIRONMENT_URL}/resources/${env.SCALEKIT_RESOURCE_ID}  (Scalekit)`;
  const call = `'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{}}}'`;
  const lines = [
    '',
    title,
    `  MCP endpoint          ${resource}`,
    `  Resource metadata     ${protectedResourceMetadataUrl(resource)}`,
    `  Authorization server  ${authorizationServer}`,
    '',
    'Connect:',
    `  MCP Inspector   npx @modelcontextprotocol/inspector@2   (Node >= 22.19; transport "Streamable HTTP", URL ${resource})`,
    `  Claude Code     claude mcp add --transport http todo ${resource}`,
  ];
  if (embedded) {
    lines.push(
      `  curl            TOKEN=$(npm run --silent token -- --url ${resource} --scope "todo:read todo:write" --sub alice)`,
      `                  curl -s ${resource} -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
      `                    -H 'accept: application/json, text/event-stream' -d ${call}`,
    );
  }
  return `${lines.join('\n')}\n\n`;
}
