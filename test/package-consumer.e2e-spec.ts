import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { parseBearerChallenge } from 'nestjs-mcp-oauth/testing';
import { freePort } from './support/free-port.js';
import {
  assertSucceeded,
  createConsumerApp,
  type NestLine,
  packLibrary,
  runCommand,
  type RunningChild,
  startNode,
  WORKSPACE,
  workspaceVersion,
} from './support/consumer-package.js';
import { postMcp, toolCall } from './support/mcp-requests.js';

/**
 * The library as people get it: `npm pack`, checked by publint and arethetypeswrong, then installed from the tarball
 * into a fresh app outside the workspace for every Nest major the peer range claims, type-checked with
 * `skipLibCheck: false` and `strict`, booted, and called over real HTTP.
 *
 * The Nest lines: 12 at the version the lockfile pins (npm's cache has it after `npm ci`), 11 at its last release.
 * `CONSUMER_NEST_VERSIONS=12.0.0,11.0.0` runs the same checks on other versions (the peer range's lower bounds).
 */
const NEST_LINES: NestLine[] = (process.env.CONSUMER_NEST_VERSIONS ?? `${workspaceVersion('@nestjs/core')},11.2.12`)
  .split(',')
  .map((version) => ({ label: `Nest ${version.split('.')[0]} (${version.trim()})`, version: version.trim() }));

const bin = (name: string): string => join(WORKSPACE, 'node_modules/.bin', name);
const RESOURCE_ID = 'res_consumer';

let tarball: string;
let extracted: string;

beforeAll(async () => {
  tarball = await packLibrary();
  extracted = mkdtempSync(join(tmpdir(), 'nestjs-mcp-oauth-unpacked-'));
  assertSucceeded('tar', await runCommand('tar', ['-xzf', tarball, '-C', extracted], { cwd: extracted }));
}, 120_000);

afterAll(() => {
  for (const dir of [tarball && dirname(tarball), extracted]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('publint finds nothing (strict: warnings count)', async () => {
    const result = await runCommand(bin('publint'), ['run', tarball, '--strict'], { cwd: WORKSPACE });
    expect(`${result.code}\n${result.stdout}${result.stderr}`).toMatch(/^0\n[\s\S]*All good!/);
  });

  it('arethetypeswrong finds no problem for an ESM-only package (node16 from ESM, bundler)', async () => {
    const result = await runCommand(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'json'], {
      cwd: WORKSPACE,
    });
    const { analysis } = JSON.parse(result.stdout) as {
      analysis: { problems: { kind: string; entrypoint: string; resolutionKind: string }[]; entrypoints: object };
    };
    // Every subpath of `exports` is analysed (new subpaths included), and at least the documented ones exist.
    const manifest = JSON.parse(readFileSync(join(extracted, 'package/package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    expect(Object.keys(analysis.entrypoints).sort()).toEqual(Object.keys(manifest.exports).sort());
    expect(Object.keys(manifest.exports)).toEqual(expect.arrayContaining(['.', './testing', './verifiers']));
    const ignoredByProfile = new Set(['node10', 'node16-cjs']);
    expect(analysis.problems.filter((problem) => !ignoredByProfile.has(problem.resolutionKind))).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('ships README, LICENSE, CHANGELOG and the built code; no specs; the bin is an executable script', () => {
    const packageDir = join(extracted, 'package');
    for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts']) {
      expect(lstatSync(join(packageDir, file)).isFile()).toBe(true);
    }
    expect(readFileSync(join(packageDir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    const files = listFiles(packageDir);
    expect(files.filter((file) => /\.spec\.|\.e2e-spec\./.test(file))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      exports: Record<string, string | Record<string, string>>;
      engines: { node: string };
    };
    const cli = readFileSync(join(packageDir, manifest.bin['nestjs-mcp-oauth']), 'utf8');
    expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true);
    for (const target of Object.values(manifest.exports).flatMap((entry) =>
      typeof entry === 'string' ? [entry] : Object.values(entry),
    )) {
      expect(files).toContain(posix.normalize(target));
    }
    expect(manifest.engines.node).toBeTruthy();
  });

  it('every source map ships with the sources it points to', () => {
    const packageDir = join(extracted, 'package');
    const files = new Set(listFiles(packageDir));
    const maps = [...files].filter((file) => file.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(packageDir, map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const path = posix.normalize(posix.join(posix.dirname(map), source));
        if (!files.has(path)) missing.push(`${map} -> ${source}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe.each(NEST_LINES)('installed from the tarball into a fresh app with $label', (nest) => {
  let app: string;
  let issuer: RunningChild | undefined;
  let server: RunningChild | undefined;
  let mcpUrl: string;
  let issuerInfo: { url: string; challenge: unknown; tokens: Record<'read' | 'write' | 'foreignAudience', string> };
  let typeCheck: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    app = await createConsumerApp(tarball, nest);
    // Type-check and emit in one run; --listFiles shows which declaration files the program pulled in.
    typeCheck = await runCommand(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--listFiles'], {
      cwd: app,
    });
    assertSucceeded('tsc in the consumer app', typeCheck);
    const port = await freePort();
    mcpUrl = `http://127.0.0.1:${port}/mcp`;
    const env = { MCP_SERVER_URL: mcpUrl, SCALEKIT_RESOURCE_ID: RESOURCE_ID };
    issuer = await startNode(app, 'dist/issuer.js', env, /^\{/);
    issuerInfo = JSON.parse(issuer.line) as typeof issuerInfo;
    server = await startNode(
      app,
      'dist/main.js',
      { ...env, PORT: String(port), ISSUER_URL: issuerInfo.url },
      /^listening /,
    );
  }, 360_000);

  afterAll(async () => {
    await server?.stop();
    await issuer?.stop();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('resolves nestjs-mcp-oauth to the installed tarball, not a link into the workspace', async () => {
    const installed = join(app, 'node_modules/nestjs-mcp-oauth');
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(realpathSync(installed).startsWith(realpathSync(app))).toBe(true);
    const resolved = await runCommand(
      process.execPath,
      ['--input-type=module', '-e', "console.log(import.meta.resolve('nestjs-mcp-oauth/testing'))"],
      { cwd: app },
    );
    expect(resolved.stdout.trim()).toBe(`file://${realpathSync(installed)}/dist/testing/index.js`);
    const nestCore = JSON.parse(readFileSync(join(app, 'node_modules/@nestjs/core/package.json'), 'utf8')) as {
      version: string;
    };
    expect(nestCore.version).toBe(nest.version);
  });

  it('type-checks with strict and skipLibCheck: false, pulling in no Scalekit SDK typings', async () => {
    const shown = await runCommand(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--showConfig'], {
      cwd: app,
    });
    expect(JSON.parse(shown.stdout)).toMatchObject({ compilerOptions: { strict: true, skipLibCheck: false } });
    const program = typeCheck.stdout.split('\n').filter(Boolean);
    for (const entry of ['index.d.ts', 'testing/index.d.ts', 'verify/index.d.ts']) {
      expect(program.some((file) => file.endsWith(`/node_modules/nestjs-mcp-oauth/dist/${entry}`))).toBe(true);
    }
    expect(program.filter((file) => /@scalekit-sdk|\/axios\/|@connectrpc|lib\.dom\./.test(file))).toEqual([]);
  });

  it('serves the protected resource metadata', async () => {
    const response = await fetch(`${new URL(mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      resource: mcpUrl,
      authorization_servers: [`${issuerInfo.url}/resources/${RESOURCE_ID}`],
      bearer_methods_supported: ['header'],
      scopes_supported: ['todo:read', 'todo:write'],
      resource_name: 'consumer app',
    });
  });

  it('answers 401 with a challenge naming the metadata when no token is sent, invalid_token for a foreign one', async () => {
    const anonymous = await postMcp(mcpUrl, toolCall('whoami'));
    expect(anonymous.status).toBe(401);
    const challenge = parseBearerChallenge(anonymous.headers.get('www-authenticate'));
    expect(challenge?.resource_metadata).toBe(`${new URL(mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`);
    expect(challenge?.error).toBeUndefined();

    const foreign = await postMcp(mcpUrl, toolCall('whoami'), {
      authorization: `Bearer ${issuerInfo.tokens.foreignAudience}`,
    });
    expect(foreign.status).toBe(401);
    expect(parseBearerChallenge(foreign.headers.get('www-authenticate'))?.error).toBe('invalid_token');
  });

  it('answers 200 to a valid token, and runs the tool as its subject', async () => {
    const response = await postMcp(mcpUrl, toolCall('whoami'), { authorization: `Bearer ${issuerInfo.tokens.read}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      result: { structuredContent: { sub: 'alice', scopes: ['todo:read'] } },
    });
  });

  it('answers 403 insufficient_scope to a tool needing more, and 200 once the token has it', async () => {
    const readOnly = await postMcp(mcpUrl, toolCall('create_todo', { title: 'x' }), {
      authorization: `Bearer ${issuerInfo.tokens.read}`,
    });
    expect(readOnly.status).toBe(403);
    const challenge = parseBearerChallenge(readOnly.headers.get('www-authenticate'));
    expect(challenge).toMatchObject({ error: 'insufficient_scope', scope: 'todo:write' });

    const writer = await postMcp(mcpUrl, toolCall('create_todo', { title: 'x' }), {
      authorization: `Bearer ${issuerInfo.tokens.write}`,
    });
    expect(writer.status).toBe(200);
    expect(await writer.json()).toMatchObject({ result: { structuredContent: { created: 'x' } } });
  });

  it('nestjs-mcp-oauth/testing works from the tarball (the issuer above is its LocalIssuer)', () => {
    expect(issuerInfo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(issuerInfo.challenge).toMatchObject({ error: 'insufficient_scope', scope: 'todo:write' });
  });

  it('installs the nestjs-mcp-oauth bin (doctor CLI)', async () => {
    const help = await runCommand(join(app, 'node_modules/.bin/nestjs-mcp-oauth'), ['--help'], { cwd: app });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('doctor');
  });
});

/** Every file under `dir`, as POSIX paths relative to it. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, relative) : [relative];
  });
}
