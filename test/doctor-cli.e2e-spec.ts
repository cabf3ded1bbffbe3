import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DOCTOR_CHECK_IDS } from '../libs/mcp-oauth/src/doctor/doctor-report.js';
import { builtFile } from './support/built-output.js';
import { type DoctorFixture, startDoctorFixture } from './support/doctor-fixtures.js';
import { freePort } from './support/free-port.js';

const CLI = 'libs/mcp-oauth/dist/doctor/cli.js';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a child process (asynchronously: the fixtures answer from this process). */
function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The `nestjs-mcp-oauth` bin as `npm run build` emits it, run as users run it: exit status 0 / 1 / 2, the human and
 * `--json` outputs, and a `--token` value never on stdout or stderr.
 */
describe('nestjs-mcp-oauth doctor (built CLI)', () => {
  let good: DoctorFixture;
  let hostile: DoctorFixture;

  beforeAll(async () => {
    builtFile(CLI);
    good = await startDoctorFixture({ sse: true, sessions: true });
    hostile = await startDoctorFixture({ echoTokenInErrors: true, hideWwwAuthenticate: true });
  });
  afterAll(async () => {
    await good?.close();
    await hostile?.close();
  });

  it('is the package bin, and the built file starts with the node shebang', () => {
    const manifest = JSON.parse(readFileSync('libs/mcp-oauth/package.json', 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin).toEqual({ 'nestjs-mcp-oauth': './dist/doctor/cli.js' });
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('exits 0 when every check passes, one "ok" line per check', async () => {
    const token = good.mintToken();
    const run = await runCli(['doctor', good.mcpUrl, '--token', token]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.slice(0, 5) + line.slice(5).split('  ')[0])).toEqual(
      [...DOCTOR_CHECK_IDS, 'token-audience', 'tools-list'].map((id) => `ok   ${id}`),
    );
    expect(lines[0]).toBe(
      `ok   challenge  401 with a Bearer challenge, no error code, resource_metadata=${good.baseUrl}/.well-known/oauth-protected-resource/mcp`,
    );
    expect(run.stdout + run.stderr).not.toContain(token);
  });

  it('exits 1 when a check fails; --json prints exactly { checks: [{ id, ok, message }] }', async () => {
    const run = await runCli(['doctor', hostile.mcpUrl, '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const parsed = JSON.parse(run.stdout) as { checks: Array<Record<string, unknown>> };
    expect(Object.keys(parsed)).toEqual(['checks']);
    expect(parsed.checks.map((check) => Object.keys(check))).toEqual(
      DOCTOR_CHECK_IDS.map(() => ['id', 'ok', 'message']),
    );
    expect(parsed.checks.map((check) => check.id)).toEqual([...DOCTOR_CHECK_IDS]);
    expect(parsed.checks.filter((check) => check.ok === false).map((check) => check.id)).toEqual(['cors']);
    expect(parsed.checks.every((check) => typeof check.message === 'string' && check.message.length > 0)).toBe(true);
  });

  it('human output marks a failing check FAIL with what to fix', async () => {
    const run = await runCli(['doctor', hostile.mcpUrl]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^FAIL cors {2}.*does not include WWW-Authenticate.*add WWW-Authenticate to Access-Control-Expose-Headers$/m,
    );
  });

  it('exits 1 with "connection refused" when nothing listens at the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const run = await runCli(['doctor', url, '--timeout', '2000']);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(
      `FAIL challenge  could not reach the MCP endpoint: connection refused at ${url}: is the server running and listening on that host and port?`,
    );
  });

  it('never prints the --token value, even when the server echoes it back in its errors', async () => {
    const token = hostile.mintToken({ aud: 'https://elsewhere.example/mcp' });
    for (const args of [
      ['doctor', hostile.mcpUrl, '--token', token],
      ['doctor', hostile.mcpUrl, `--token=${token}`, '--json'],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('You sent [token]');
      expect(run.stdout + run.stderr).not.toContain(token);
      for (const part of token.split('.')) expect(run.stdout + run.stderr).not.toContain(part);
    }
  });

  it.each([
    [[], /missing command: doctor/],
    [['check', 'http://h/mcp'], /unknown command \(the only command is doctor\)/],
    [['doctor'], /missing <mcp-url>/],
    [['doctor', 'ftp://h/mcp'], /<mcp-url> must be an http\(s\) URL, not ftp:/],
    [['doctor', 'not a url'], /<mcp-url> is not a URL/],
    [['doctor', 'http://h/mcp', 'http://h/other'], /expected one <mcp-url>, got 2 arguments/],
    [['doctor', 'http://h/mcp', '--verbose'], /unknown option --verbose/],
    [['doctor', 'http://h/mcp', '--json=yes'], /--json takes no value/],
    [['doctor', 'http://h/mcp', '--token'], /--token needs a value/],
    [['doctor', 'http://h/mcp', '--timeout', 'soon'], /--timeout must be a positive number of ms/],
  ])('exits 2 on bad usage %j, with the reason and the usage on stderr', async (args, reason) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toContain('Usage: nestjs-mcp-oauth doctor <mcp-url> [--json] [--token <jwt>]');
  });

  it('bad usage never repeats a token either', async () => {
    const secret = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlciJ9.c2lnbmF0dXJlLXNlY3JldC12YWx1ZQ';
    for (const args of [
      ['doctor', 'ftp://h/mcp', '--token', secret],
      ['doctor', 'http://h/mcp', `--tokn=${secret}`],
      ['doctor', secret],
      [secret],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: nestjs-mcp-oauth doctor <mcp-url>/);
  });
});
