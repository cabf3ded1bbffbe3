// npm run soak: 60 s (SOAK_SECONDS) of mixed valid and invalid traffic against the built sample app on 127.0.0.1,
// with autocannon. Prints requests, status-code counts, errors, and the app's RSS at start and end.
// Not part of npm test. The app runs as a child process in Scalekit mode against a local issuer stand-in; the
// failed-authentication limiter is switched off (MCP_AUTH_FAILURES_PER_MINUTE=0) so invalid traffic keeps reaching
// the verifier instead of being answered 429 after the first minute's failures.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { LocalIssuer } from '../libs/mcp-oauth/dist/testing/index.js';

const seconds = Number(process.env.SOAK_SECONDS ?? 60);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function rssMiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) / 1024;
}

async function waitForHealth(url) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the sample app did not become healthy at ${url}`);
}

const issuer = await LocalIssuer.start({ scalekitResourceId: 'res_soak' });
const port = await freePort();
const mcpUrl = `http://127.0.0.1:${port}/mcp`;
const app = spawn(process.execPath, ['dist/apps/sample/main.js'], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    MCP_SERVER_URL: mcpUrl,
    SCALEKIT_ENVIRONMENT_URL: issuer.url,
    SCALEKIT_RESOURCE_ID: 'res_soak',
    MCP_AUTH_FAILURES_PER_MINUTE: '0',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});

try {
  await waitForHealth(`http://127.0.0.1:${port}/healthz`);
  const audience = [mcpUrl, 'res_soak'];
  const longLived = { audience, expiresIn: seconds + 600 };
  const reader = issuer.mintToken({ ...longLived, scopes: ['todo:read'], subject: 'soak-reader' });
  const writer = issuer.mintToken({ ...longLived, scopes: ['todo:write'], subject: 'soak-writer' });
  const expired = issuer.mintToken({ audience, expiresIn: -3600 });
  const forged = `${reader.slice(0, reader.lastIndexOf('.'))}.${writer.split('.')[2]}`;
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
  };
  const call = (name, args = {}) =>
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
  const requests = [
    { method: 'POST', path: '/mcp', headers: { ...headers, authorization: `Bearer ${reader}` }, body: call('whoami') },
    {
      method: 'POST',
      path: '/mcp',
      headers: { ...headers, authorization: `Bearer ${reader}` },
      body: call('list_todos'),
    },
    {
      method: 'POST',
      path: '/mcp',
      headers: { ...headers, authorization: `Bearer ${writer}` },
      body: call('create_todo', { title: 'soak' }),
    },
    {
      method: 'POST',
      path: '/mcp',
      headers: { ...headers, authorization: `Bearer ${reader}` },
      body: call('create_todo', { title: 'denied' }),
    },
    { method: 'POST', path: '/mcp', headers: { ...headers, authorization: `Bearer ${expired}` }, body: call('whoami') },
    { method: 'POST', path: '/mcp', headers: { ...headers, authorization: `Bearer ${forged}` }, body: call('whoami') },
    { method: 'POST', path: '/mcp', headers: { ...headers, authorization: 'Bearer garbage' }, body: call('whoami') },
    { method: 'POST', path: '/mcp', headers, body: call('whoami') },
    { method: 'GET', path: '/.well-known/oauth-protected-resource/mcp' },
  ];
  const rssStart = rssMiB(app.pid);
  const rssSeries = [];
  const sampler = setInterval(() => rssSeries.push(rssMiB(app.pid).toFixed(0)), 10_000);
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 16, duration: seconds, requests });
  clearInterval(sampler);
  const rssEnd = rssMiB(app.pid);
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count]),
  );
  const fiveHundreds = Object.entries(statuses)
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `soak: ${seconds} s, 16 connections, 9 request kinds (valid, step-up 403, expired, forged, garbage, no token, metadata)`,
  );
  console.log(`node ${process.version}, app pid ${app.pid}`);
  console.log(`requests: ${result.requests.total}  (${result.requests.average.toFixed(0)} req/s average)`);
  console.log(`status codes: ${JSON.stringify(statuses)}`);
  console.log(
    `errors: ${result.errors}  timeouts: ${result.timeouts}  non-2xx: ${result.non2xx}  5xx: ${fiveHundreds}`,
  );
  console.log(`latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
  console.log(
    `app RSS: start ${rssStart.toFixed(1)} MiB, end ${rssEnd.toFixed(1)} MiB; every 10 s: ${rssSeries.join(', ')} MiB`,
  );
  console.log(
    `(the app keeps every todo created: ${statuses['200'] ? 'about 1 request in 9 is a create_todo' : 'none'})`,
  );
  if (fiveHundreds > 0 || result.errors > 0) process.exitCode = 1;
} finally {
  app.kill();
  await issuer.stop();
}
