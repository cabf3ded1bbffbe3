import 'reflect-metadata';
import { embeddedAuthSettings } from './config/auth-mode.js';
import type { SampleEnv } from './config/sample-env.js';
import { createSampleApp } from './create-sample-app.js';
import { protectedResourceMetadataUrl } from 'nestjs-mcp-oauth';

/** What to tell a developer once the server listens: where everything is and how to connect. */
function banner(env: SampleEnv): string {
  const resource = env.MCP_SERVER_URL;
  const embedded = embeddedAuthSettings(env);
  const authorizationServer = embedded
    ? `${embedded.issuer}  (embedded, development only; user "dev-user", or any login_hint)`
    : `${env.SCALEKIT_ENVIRONMENT_URL}/resources/${env.SCALEKIT_RESOURCE_ID}  (Scalekit)`;
  const call = `'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{}}}'`;
  const lines = [
    '',
    'nestjs-mcp-oauth sample MCP server',
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

/** Boots the sample MCP server; a configuration error ends the process with its message and exit code 1. */
async function bootstrap(): Promise<void> {
  const { app, env } = await createSampleApp();
  await app.listen(env.PORT, env.HOST);
  process.stdout.write(banner(env));
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
