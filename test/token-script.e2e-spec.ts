import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from './support/free-port.js';

const SCRIPT = 'dist/apps/sample/scripts/token.js';

/** Runs the built `npm run token` script with only the given environment variables of the sample. */
function runToken(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = { ...process.env };
  for (const name of ['PORT', 'MCP_SERVER_URL', 'HOST']) delete base[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT, ...args],
      { env: { ...base, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `npm run token` with no server where it looks: it must say which URL it tried and how to point it elsewhere. */
describe('npm run token when the sample is not running', () => {
  it('the build exists (npm test builds before the e2e suites)', () => {
    expect(existsSync(SCRIPT)).toBe(true);
  });

  it('names the --url it tried', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const result = await runToken(['--url', url], {});
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`no server answered at ${url} (ECONNREFUSED; URL from --url)`);
    expect(result.stderr).toMatch(/npm start/);
  });

  it('names the default URL built from PORT', async () => {
    const port = await freePort();
    const result = await runToken([], { PORT: String(port) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no server answered at http://localhost:${port}/mcp`);
    expect(result.stderr).toContain(`PORT=${port}`);
  });

  it('names MCP_SERVER_URL when the URL came from it', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const result = await runToken([], { MCP_SERVER_URL: url, PORT: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no server answered at ${url} (ECONNREFUSED; URL from MCP_SERVER_URL)`);
  });

  it('names the URL for any other failure too (a server that is not the sample answers there)', async () => {
    const server = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
    try {
      const result = await runToken(['--url', url], {});
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`npm run token failed against ${url} (URL from --url): `);
      expect(result.stderr).toContain('SCALEKIT_');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
