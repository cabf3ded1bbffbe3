import { type ChildProcess, spawn } from 'node:child_process';
import { builtFile } from './built-output.js';

/** The built sample (`npm run build`) running in a process of its own, as in production. */
export interface SampleProcess {
  baseUrl: string;
  mcpUrl: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/apps/sample/main.js` (or another built sample's `main`) with this environment (nothing inherited
 * but PATH), waits until `/healthz` answers. Several of them share no memory: what they share goes through the
 * network (Redis).
 */
export async function startSampleProcess(
  env: Record<string, string>,
  main = 'dist/apps/sample/main.js',
): Promise<SampleProcess> {
  const child: ChildProcess = spawn(process.execPath, [builtFile(main)], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  for (let attempt = 0; ; attempt += 1) {
    const up = await fetch(`${baseUrl}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (attempt > 200 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the sample did not start on ${baseUrl}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    baseUrl,
    mcpUrl: env.MCP_SERVER_URL ?? `${baseUrl}/mcp`,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
