import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port.js';

/** True when Debian's `redis-server` is installed (`apt-get install redis-server`; `.ci/run` installs it). */
export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Says loudly why Redis-backed tests are skipped on this machine, and fails instead under CI (`CI=true`), where
 * `.ci/run` installs redis-server, so the tests always run there.
 */
export function redisServerOrSkipNotice(suite: string): boolean {
  if (redisServerInstalled()) return true;
  const message = `redis-server is not installed: SKIPPING "${suite}". Install it (as root: apt-get install redis-server) to run these tests; CI always runs them.`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: refusing to skip)`);
  // Straight to stderr: a deliberate notice, not console output the console guard would fail the suite on.
  process.stderr.write(`\n!!! ${message}\n\n`);
  return false;
}

/** A throwaway Redis server on a free loopback port, without persistence. */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `redis-server` on 127.0.0.1 and a free port (or `port`); resolves once it answers PING. */
export async function startRedisServer(options: { port?: number } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let attempt = 0; attempt < 100 && !(await ping(port)); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!(await ping(port))) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${port}`);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
