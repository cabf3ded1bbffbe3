#!/usr/bin/env node
// `npm run bench`: nestjs-mcp-oauth benchmarks, printed as ONE table (stdout, Markdown) with the machine's CPU count
// and Node version; progress and per-round numbers go to stderr. See bench/RESULTS.md.
//
//   node bench/run.mjs [--quick] [--no-build] [--only=http,verify,keys,boot] [--modes=on,...] [--cpu-prof] [--json=<file>]
//
// --quick      fewer/shorter rounds (smoke test, ~1 min; numbers are noisier)
// --no-build   do not run `npm run build` first (dist must exist)
// --only=...   run only some sections
// --cpu-prof   start the sample apps with --cpu-prof (profiles in bench/profiles/) and profile nothing else
// --modes=...  HTTP modes besides `off` (default: on,on+fresh; also on+quiet)
// --http-rounds=N  rounds of the HTTP section (default 5): more rounds, steadier medians on a noisy machine
// --json=FILE  also write every number (per round too) as JSON
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { join } from 'node:path';
import { fmtInt, fmtMs, fmtRatio, progress, ROOT } from './lib/util.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const value = (name) =>
  args
    .find((arg) => arg.startsWith(`--${name}=`))
    ?.split('=')
    .slice(1)
    .join('=');
const quick = flag('quick');
const only = new Set((value('only') ?? 'http,verify,keys,boot').split(','));

const settings = {
  http: quick
    ? { rounds: 2, seconds: 2, warmupSeconds: 1, connections: 10 }
    : { rounds: Number(value('http-rounds') ?? 5), seconds: 4, warmupSeconds: 2, connections: 10 },
  verify: quick ? { rounds: 4, taskTimeMs: 50 } : { rounds: 16, taskTimeMs: 100 },
  keys: quick ? { floodTokens: 2_000, windowedSeconds: 2.5 } : { floodTokens: 5_000, windowedSeconds: 3.5 },
  boot: quick ? { warmRounds: 5, coldRounds: 2 } : { warmRounds: 15, coldRounds: 5 },
};

function build() {
  if (flag('no-build')) {
    for (const file of [
      'libs/mcp-oauth/dist/index.js',
      'libs/mcp-oauth/dist/verify/verified-token-cache.js',
      'dist/apps/sample/main.js',
    ]) {
      if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run npm run build (or drop --no-build).`);
    }
    return;
  }
  progress('npm run build');
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) throw new Error('npm run build failed');
}

async function main() {
  const started = Date.now();
  build();
  // The library logs through Nest's Logger (e.g. a debug line per key fetch): keep this process quiet.
  const { Logger } = await import('@nestjs/common');
  Logger.overrideLogger(['error']);

  const results = { machine: machine(), settings, loadBefore: loadavg() };
  if (only.has('http')) {
    const { runHttpBench } = await import('./lib/http.mjs');
    const cpuProfDir = flag('cpu-prof') ? join(ROOT, 'bench/profiles') : undefined;
    if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
    progress('section 1: HTTP tools/call whoami, auth on vs off');
    const modes = value('modes')?.split(',');
    results.http = await runHttpBench({
      ...settings.http,
      cpuProfDir,
      ...(modes ? { modes: ['off', ...modes.filter((m) => m !== 'off')] } : {}),
    });
  }
  if (only.has('verify')) {
    const { runVerifyBench } = await import('./lib/verify.mjs');
    progress('sections 2-3: verification micro-benchmarks');
    results.verify = await runVerifyBench(settings.verify);
  }
  if (only.has('keys')) {
    const { runKeyFloodBench } = await import('./lib/keys.mjs');
    progress('section 4a: signing-key fetches under an unknown-kid flood');
    results.keys = await runKeyFloodBench(settings.keys);
  }
  if (only.has('boot')) {
    const { runBootBench } = await import('./lib/boot.mjs');
    progress('section 4b: module start-up cost');
    results.boot = await runBootBench(settings.boot);
  }
  results.seconds = (Date.now() - started) / 1000;
  results.loadAfter = loadavg();
  const { table, met, total } = render(results);
  process.stdout.write(`${table}\n`);
  progress(`done in ${results.seconds.toFixed(0)} s; targets met: ${met}/${total}`);
  const json = value('json');
  if (json) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
}

function machine() {
  const list = cpus();
  return {
    cpus: list.length,
    model: list[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown',
    node: process.version,
    platform: `${platform()} ${arch()}`,
    date: new Date().toISOString(),
  };
}

function render(results) {
  const rows = [];
  let met = 0;
  let total = 0;
  const verdict = (ok) => {
    total += 1;
    if (ok) met += 1;
    return ok ? 'yes' : '**NO**';
  };
  const row = (area, item, result, ratio = '', target = '', ok = '') =>
    rows.push([area, item, result, ratio, target, ok]);

  const { http, verify, keys, boot } = results;
  if (http) {
    const area = `HTTP \`tools/call whoami\` (sample app process, autocannon ${http.connections} conns, ${http.rounds} rounds x ${http.seconds}s per mode, rotating order)`;
    const line = (r) => `${fmtInt(r.rps)} req/s; p50 ${fmtMs(r.p50, 0)}, p99 ${fmtMs(r.p99, 0)}`;
    for (const [id, r] of Object.entries(http.modes)) {
      if (id === 'off') row(area, r.label, line(r), '1.00x');
      else if (id === 'on')
        row(area, r.label, line(r), `${fmtRatio(r.ratio)} of off`, '>= 0.95x', verdict(r.ratio >= 0.95));
      else row(area, r.label, line(r), `${fmtRatio(r.ratio)} of off`, '(diagnostic)');
    }
    if (http.bad > 0) row(area, 'non-2xx / errors during load', String(http.bad), '', '0', verdict(false));
  }
  if (verify) {
    for (const [algorithm, data] of Object.entries(verify)) {
      for (const inFlight of [1, 64]) {
        const area = `Verify ${algorithm}, ${inFlight === 1 ? '1 at a time' : '64 in flight (Promise.all)'}, ops/s`;
        const ops = (id) => data.opsPerSecond[`${id}|${inFlight}`];
        const ratio = data.ratios[inFlight];
        row(area, data.labels.jose, fmtInt(ops('jose')), '1.00x');
        row(
          area,
          data.labels.default,
          fmtInt(ops('default')),
          `${fmtRatio(ratio.defaultToJose)} jose`,
          '>= 0.90x jose',
          verdict(ratio.defaultToJose >= 0.9),
        );
        row(
          area,
          data.labels.sdk,
          fmtInt(ops('sdk')),
          `${fmtRatio(ratio.sdkToJose)} jose; default = ${fmtRatio(ratio.defaultToSdk)} this`,
          'default >= 2x this',
          verdict(ratio.defaultToSdk >= 2),
        );
        row(area, data.labels.sdkMode, fmtInt(ops('sdkMode')), `${fmtRatio(ratio.sdkModeToJose)} jose`);
        row(
          area,
          data.labels.cache,
          fmtInt(ops('cache')),
          `${fmtRatio(ratio.cacheToJose)} jose`,
          '>= 5x jose',
          verdict(ratio.cacheToJose >= 5),
        );
      }
    }
  }
  if (keys) {
    const area = 'Signing-key fetches (LocalIssuer.jwksRequests, RemoteSigningKeys.fetches)';
    row(
      area,
      `steady state: ${fmtInt(keys.steady.tokens)} valid tokens, 64 in flight`,
      `${keys.steady.fetches} fetch`,
      '',
      'exactly 1',
      verdict(keys.steady.fetches === 1 && keys.steady.wrong === 0),
    );
    row(
      area,
      `flood, default ${keys.floodA.cooldownSeconds}s cooldown: ${fmtInt(keys.floodA.unknownKid)} unknown-kid + ${fmtInt(keys.floodA.tokens - keys.floodA.unknownKid)} valid tokens in ${keys.floodA.seconds.toFixed(2)}s`,
      `+${keys.floodA.fetches} fetch; ${keys.floodA.wrong} wrong verdicts`,
      '',
      '<= 1 per window',
      verdict(keys.floodA.fetches <= 1 && keys.floodA.wrong === 0),
    );
    row(
      area,
      `flood, 1s cooldown: ${fmtInt(keys.floodB.tokens)} tokens over ${keys.floodB.seconds.toFixed(2)}s (${keys.floodB.windows} windows)`,
      `+${keys.floodB.fetches} fetches (issuer saw +${keys.floodB.issuerRequests}); ${keys.floodB.wrong} wrong verdicts`,
      '',
      `<= ${keys.floodB.windows}`,
      verdict(keys.floodB.fetches <= keys.floodB.windows && keys.floodB.wrong === 0),
    );
  }
  if (boot) {
    const area = 'Start-up: NestFactory.create + init, minimal module';
    row(
      area,
      `warm (in process, median of ${boot.warm.rounds})`,
      `without ${fmtMs(boot.warm.without, 1)}, with McpOAuthModule.forRoot ${fmtMs(boot.warm.with, 1)}`,
      `+${fmtMs(boot.warm.added, 1)}`,
    );
    row(
      area,
      `cold (fresh node process incl. imports, median of ${boot.cold.rounds})`,
      `without ${fmtMs(boot.cold.without, 0)} (imports ${fmtMs(boot.cold.withoutImports, 0)}), with ${fmtMs(boot.cold.with, 0)} (imports ${fmtMs(boot.cold.withImports, 0)})`,
      `+${fmtMs(boot.cold.added, 0)}`,
    );
    row(
      area,
      "cold: of which `import('@scalekit-sdk/node')` (createScalekitClient: only with API credentials or the scalekit-sdk verifier)",
      fmtMs(boot.cold.sdkImport, 0),
      `${Math.round((100 * boot.cold.sdkImport) / boot.cold.added)}% of the added`,
    );
  }

  const { machine: m } = results;
  const header = ['Area', 'Case', 'Median', 'Ratio', 'Target', 'Met'];
  const lines = [
    `nestjs-mcp-oauth benchmark: ${m.cpus} CPUs (${m.model}), Node ${m.node}, ${m.platform}, ${m.date}; medians of the rounds (ratios: median of per-round paired ratios); run took ${results.seconds.toFixed(0)} s; load average before ${results.loadBefore.map((v) => v.toFixed(2)).join(' ')}, after ${results.loadAfter.map((v) => v.toFixed(2)).join(' ')}; targets met ${met}/${total}`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
  ];
  let previousArea;
  for (const [area, ...rest] of rows) {
    lines.push(`| ${area === previousArea ? '' : area} | ${rest.join(' | ')} |`);
    previousArea = area;
  }
  return { table: lines.join('\n'), met, total };
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
