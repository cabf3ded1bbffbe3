// Section 1: the sample app over HTTP, MCP `tools/call whoami`, auth on vs auth off (MCP_BENCHMARK_AUTH_OFF=true).
// Each mode is a separate node process running the built app (the load generator never shares the app's event loop);
// all run side by side, idle except the one under load, in an order rotated every round to cancel drift.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort, importLib, median, progress, ROOT, sleep } from './util.mjs';

const RESOURCE_ID = 'res_bench';
const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
};
const WHOAMI = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'whoami', arguments: {} },
});

/**
 * The app variants. `on` and `off` are the shipped app (`node dist/apps/sample/main.js`), differing only in
 * MCP_BENCHMARK_AUTH_OFF (`on` has the library defaults: verified-token cache on, audit log line per tool call);
 * `on+quiet` runs bench/lib/sample-variant.mjs (same createSampleApp) with Nest's logger at error+warn, to show what
 * the per-request audit log line costs.
 */
export const MODES = [
  { id: 'off', label: 'auth off (MCP_BENCHMARK_AUTH_OFF=true)', authOff: true },
  { id: 'on', label: 'auth on (library defaults: Scalekit preset, RS256, token cache, audit line)', authOff: false },
  {
    // Not run by default (`--modes=on+quiet`): since the audit line became a JSON line written per tick, it costs too
    // little to show against the noise, and this variant starts through another entry (bench/lib/sample-variant.mjs).
    id: 'on+quiet',
    label: 'auth on, logger error+warn (no audit log line)',
    authOff: false,
    variant: { BENCH_QUIET_LOGGER: 'true' },
    optional: true,
  },
  {
    id: 'on+fresh',
    label: 'auth on, every request a never-seen token (the token cache cannot help)',
    authOff: false,
    sharesAppWith: 'on',
    freshTokens: true,
  },
];

/** Requests one mode may send at most in a run (rounds x seconds x a generous rate), for the fresh-token pool. */
function freshTokenBudget({ rounds, seconds, warmupSeconds }) {
  return Math.ceil((rounds * seconds + warmupSeconds) * 1500);
}

/** Starts the built sample app (or the bench variant) as a child process and waits for /healthz. */
async function startApp({ issuer, mode, cpuProfDir }) {
  const { authOff } = mode;
  const port = await freePort();
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    MCP_SERVER_URL: mcpUrl,
    SCALEKIT_ENVIRONMENT_URL: issuer.url,
    SCALEKIT_RESOURCE_ID: RESOURCE_ID,
    SCALEKIT_CLIENT_ID: 'skc_bench_dummy',
    SCALEKIT_CLIENT_SECRET: 'bench-dummy-secret',
    MCP_BENCHMARK_AUTH_OFF: authOff ? 'true' : 'false',
    ...mode.variant,
  };
  delete env.NODE_ENV; // auth off is refused in production; both modes run with the same environment otherwise
  const nodeArgs = cpuProfDir
    ? [
        '--import',
        join(ROOT, 'bench/lib/exit-on-sigint.mjs'),
        '--cpu-prof',
        '--cpu-prof-dir',
        cpuProfDir,
        `--cpu-prof-name=sample-${mode.id.replaceAll('+', '-')}.cpuprofile`,
      ]
    : [];
  const entry = mode.variant ? join(ROOT, 'bench/lib/sample-variant.mjs') : join(ROOT, 'dist/apps/sample/main.js');
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: ROOT,
    env,
    // stdout (the banner, and with auth on one `mcp_oauth.tool_call` audit line per request) goes to /dev/null: the
    // app still formats and writes every line, but this process (sharing the 2 cores) does not have to read them.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => {
    output = (output + chunk.toString()).slice(-8000);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await Promise.race([
      exited.then(() => 'exited'),
      fetch(`${baseUrl}/healthz`).then(
        (r) => r.status,
        () => 0,
      ),
    ]);
    if (status === 200) break;
    if (status === 'exited' || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sample app (${mode.id}) did not start:\n${output}`);
    }
    await sleep(100);
  }
  return {
    mode: mode.id,
    authOff,
    port,
    mcpUrl,
    pid: child.pid,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGINT'); // enableShutdownHooks closes the app; with --cpu-prof the preload exits cleanly instead
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One request by hand: proves the mode is what it claims before any load is applied. */
async function checkApp(app, token) {
  const call = (headers) =>
    fetch(app.mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body: WHOAMI });
  const authed = await call(token ? { authorization: `Bearer ${token}` } : {});
  const text = await authed.text();
  if (authed.status !== 200 || !text.includes('"sub"')) {
    throw new Error(`${app.mode}: whoami answered HTTP ${authed.status}: ${text.slice(0, 300)}\n${app.output()}`);
  }
  const anonymous = await call({});
  await anonymous.text();
  const expected = app.authOff ? 200 : 401;
  if (anonymous.status !== expected) {
    throw new Error(`${app.mode}: a request without a token answered ${anonymous.status}, expected ${expected}.`);
  }
  return JSON.parse(text).result?.structuredContent?.sub;
}

/**
 * `token` is one string (every request sends it) or a pool (each request takes the next never-used token; running
 * out is an error, since a reused token would be a cache hit).
 */
function load(app, token, { seconds, connections }) {
  const pool = Array.isArray(token) ? token : undefined;
  return autocannon({
    url: app.mcpUrl,
    method: 'POST',
    headers: token && !pool ? { ...MCP_HEADERS, authorization: `Bearer ${token}` } : MCP_HEADERS,
    body: WHOAMI,
    connections,
    pipelining: 1,
    duration: seconds,
    ...(pool
      ? {
          requests: [
            {
              setupRequest: (request) => {
                if (pool.length === 0) throw new Error('fresh-token pool exhausted: raise freshTokenBudget');
                return { ...request, headers: { ...request.headers, authorization: `Bearer ${pool.pop()}` } };
              },
            },
          ],
        }
      : {}),
  }).then((result) => ({
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad: result.non2xx + result.errors + result.timeouts,
  }));
}

/**
 * @returns per mode: medians of { rps, p50, p99 } and the median of per-round ratios to auth off.
 */
export async function runHttpBench({
  rounds,
  seconds,
  warmupSeconds,
  connections,
  cpuProfDir,
  modes = MODES.filter((m) => !m.optional).map((m) => m.id),
}) {
  const { LocalIssuer } = await importLib('testing');
  const issuer = await LocalIssuer.start({ scalekitResourceId: RESOURCE_ID });
  const apps = new Map();
  try {
    const selected = MODES.filter((mode) => modes.includes(mode.id));
    // The fresh-token pool, minted before the apps start (signing takes a while, and on the load generator's cores
    // during a round it would skew the run). The resource id is an audience every app instance accepts.
    const freshPool = selected.some((mode) => mode.freshTokens)
      ? Array.from({ length: freshTokenBudget({ rounds, seconds, warmupSeconds }) }, (_, index) =>
          issuer.mintToken({
            audience: RESOURCE_ID,
            scopes: ['todo:read', 'todo:write'],
            clientId: 'bench-client',
            subject: `fresh-${index}`,
            expiresIn: 3600,
          }),
        )
      : [];
    if (freshPool.length > 0) progress(`http: minted ${freshPool.length} never-seen tokens`);
    for (const mode of selected) {
      if (mode.sharesAppWith) continue;
      apps.set(mode.id, await startApp({ issuer, mode, cpuProfDir }));
    }
    for (const mode of selected) {
      if (!mode.sharesAppWith) continue;
      const shared = apps.get(mode.sharesAppWith) ?? (await startApp({ issuer, mode, cpuProfDir }));
      apps.set(mode.sharesAppWith, shared);
      apps.set(mode.id, { ...shared, mode: mode.id, stop: async () => undefined });
    }
    // One token for the whole run, as a client reuses its token until it expires (Scalekit's claim shape). Its
    // audience is the resource id, which every app instance accepts whatever its port.
    const token = issuer.mintToken({
      audience: [apps.get('on')?.mcpUrl ?? 'http://127.0.0.1/mcp', RESOURCE_ID],
      scopes: ['todo:read', 'todo:write'],
      clientId: 'bench-client',
      expiresIn: 3600,
    });
    // Every mode receives the same request, token included: "auth off" is the same app ignoring it, so the ratio is
    // the cost of authenticating, not of carrying an ~850-byte header (which any client sends either way).
    const tokenFor = (app) => (MODES.find((mode) => mode.id === app.mode)?.freshTokens ? freshPool : token);
    for (const app of apps.values()) {
      const tokens = tokenFor(app);
      const subject = await checkApp(app, Array.isArray(tokens) ? tokens.pop() : tokens);
      progress(`http: ${app.mode} up (pid ${app.pid}, whoami -> "${subject}")`);
    }
    progress(`http: warming up ${warmupSeconds}s each`);
    for (const app of apps.values()) await load(app, tokenFor(app), { seconds: warmupSeconds, connections });

    const results = Object.fromEntries(selected.map((mode) => [mode.id, []]));
    const ratios = Object.fromEntries(selected.map((mode) => [mode.id, []]));
    let bad = 0;
    for (let round = 0; round < rounds; round += 1) {
      // Rotate the order every round so each mode sees early and late slots alike (drift cancels in the medians).
      const order = selected.map((_, index) => selected[(index + round) % selected.length]);
      const got = {};
      for (const mode of order) {
        const app = apps.get(mode.id);
        got[mode.id] = await load(app, tokenFor(app), { seconds, connections });
        bad += got[mode.id].bad;
        results[mode.id].push(got[mode.id]);
      }
      for (const mode of selected) ratios[mode.id].push(got[mode.id].rps / got.off.rps);
      progress(
        `http round ${round + 1}/${rounds}: ` +
          selected
            .map(
              (mode) =>
                `${mode.id} ${got[mode.id].rps.toFixed(0)} req/s (p50 ${got[mode.id].p50}, p99 ${got[mode.id].p99} ms)`,
            )
            .join(', '),
      );
    }
    const summary = Object.fromEntries(
      selected.map((mode) => [
        mode.id,
        {
          label: mode.label,
          rps: median(results[mode.id].map((r) => r.rps)),
          p50: median(results[mode.id].map((r) => r.p50)),
          p99: median(results[mode.id].map((r) => r.p99)),
          ratio: median(ratios[mode.id]),
          rounds: results[mode.id],
        },
      ]),
    );
    return { modes: summary, bad, connections, seconds, rounds };
  } finally {
    for (const app of apps.values()) await app.stop();
    await issuer.stop();
  }
}
