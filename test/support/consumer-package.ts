import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The repository root (npm scripts run from it). */
export const WORKSPACE = resolve(process.cwd());
/** The library's package folder. */
export const LIBRARY_DIR = join(WORKSPACE, 'libs/mcp-oauth');

/** What a finished command printed. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment for commands run outside the workspace: npm's lifecycle variables of the `npm test` that runs
 * this suite (`npm_config_local_prefix`, `npm_package_*`, ...) removed, so a child npm sees the temporary app as
 * its project; the npm cache and registry settings kept, so installs reuse what `npm ci` downloaded.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig', 'npm_config_globalconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('npm_') && !keep.has(name.toLowerCase())) continue;
    if (name === 'INIT_CWD' || name === 'NODE_OPTIONS' || name.startsWith('JEST_')) continue;
    env[name] = value;
  }
  return { ...env, NO_UPDATE_NOTIFIER: '1', ...extra };
}

/** Runs a command to completion; never throws for a non-zero exit (the caller asserts on `code`). */
export function runCommand(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? cleanEnv(), timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) || (error?.message ?? '') });
      },
    );
  });
}

/** Throws with everything the command printed when it failed (so a failing suite says why). */
export function assertSucceeded(what: string, result: CommandResult): CommandResult {
  if (result.code !== 0) {
    throw new Error(`${what} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result;
}

/** The version of a package installed in the workspace (what the lockfile pinned, so npm's cache has it). */
export function workspaceVersion(name: string): string {
  return (
    JSON.parse(readFileSync(join(WORKSPACE, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/**
 * `npm pack` of the library as built by `npm run build` (lifecycle scripts off: `prepack` would rebuild), into a new
 * temporary folder outside the workspace. Returns the tarball's path.
 */
export async function packLibrary(): Promise<string> {
  if (!existsSync(join(LIBRARY_DIR, 'dist/index.js'))) {
    throw new Error('libs/mcp-oauth/dist is missing: run `npm run build` first (npm test does).');
  }
  const destination = mkdtempSync(join(tmpdir(), 'nestjs-mcp-oauth-pack-'));
  const packed = assertSucceeded(
    'npm pack',
    await runCommand('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
      cwd: LIBRARY_DIR,
    }),
  );
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  return join(destination, filename);
}

/** Nest packages of one major line for a consumer app. */
export interface NestLine {
  /** e.g. `Nest 12`. */
  label: string;
  /** Exact version of `@nestjs/common`, `@nestjs/core` and `@nestjs/platform-express`. */
  version: string;
}

/**
 * A fresh app in a temporary folder outside the workspace (no `paths`, no workspace link): its package.json, the
 * sources of `test/consumer-app`, and `npm install` of the tarball with Nest, TypeScript and Node's types.
 */
export async function createConsumerApp(tarball: string, nest: NestLine): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'nestjs-mcp-oauth-consumer-'));
  cpSync(join(WORKSPACE, 'test/consumer-app'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  const packages = [
    tarball,
    `@nestjs/common@${nest.version}`,
    `@nestjs/core@${nest.version}`,
    `@nestjs/platform-express@${nest.version}`,
    `reflect-metadata@${workspaceVersion('reflect-metadata')}`,
    `rxjs@${workspaceVersion('rxjs')}`,
    `typescript@${workspaceVersion('typescript')}`,
    `@types/node@${workspaceVersion('@types/node')}`,
  ];
  assertSucceeded(
    `npm install in ${dir}`,
    await runCommand(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', '--strict-peer-deps', ...packages],
      { cwd: dir, timeoutMs: 300_000 },
    ),
  );
  return dir;
}

/** A long-running child process whose first stdout line matching `ready` says it is up. */
export interface RunningChild {
  process: ChildProcess;
  /** The line that matched. */
  line: string;
  /** Everything it printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node <script>` in `cwd` and waits (at most `timeoutMs`) for a stdout line matching `ready`. */
export async function startNode(
  cwd: string,
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 30_000,
): Promise<RunningChild> {
  const child = spawn(process.execPath, [script], { cwd, env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let printed = '';
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin?.end();
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  const line = await new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start in ${timeoutMs} ms:\n${printed}`)),
      timeoutMs,
    );
    lines.on('line', (text) => {
      printed += `${text}\n`;
      if (ready.test(text)) {
        clearTimeout(timer);
        resolveLine(text);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited ${code} before it was ready:\n${printed}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { process: child, line, output: () => printed, stop };
}
