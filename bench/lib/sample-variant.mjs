// Bench-only entry for the sample app: the same createSampleApp() as dist/apps/sample/main.js, with a switch the
// shipped app does not have:
//   BENCH_QUIET_LOGGER=true  Nest logger at error+warn: drops the per-request `mcp_oauth.tool_call` audit log line
// Environment otherwise as for main.js (PORT, HOST, MCP_SERVER_URL, SCALEKIT_*).
import 'reflect-metadata';

const dist = new URL('../../dist/apps/sample/', import.meta.url);
const { createSampleApp } = await import(new URL('create-sample-app.js', dist).href);

const quiet = process.env.BENCH_QUIET_LOGGER === 'true';
const { app, env } = await createSampleApp(quiet ? { logger: ['error', 'warn'] } : {});
await app.listen(env.PORT, env.HOST);
process.stdout.write(`bench sample variant listening on ${env.HOST}:${env.PORT}\n`);
