// Small helpers shared by the benchmark sections: medians, formatting, progress on stderr, free ports.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Repository root (bench/lib/ -> ../..). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built library (npm run build). */
export const LIB_DIST = new URL('../../libs/mcp-oauth/dist/', import.meta.url).href;

export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Progress and per-round numbers go to stderr; the one result table goes to stdout. */
export function progress(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

export function fmtInt(value) {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

export function fmtMs(value, digits = 2) {
  return Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a';
}

export function fmtRatio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Imports a public entry point of the built library, as an app would (`nestjs-mcp-oauth`, `/testing`, `/verifiers`):
 * the benchmarks measure what users get, through the package's own exports.
 */
export function importLib(entry = '') {
  return import(entry === '' ? 'nestjs-mcp-oauth' : `nestjs-mcp-oauth/${entry}`);
}

/**
 * The token verifier `McpOAuthModule` builds from these options, taken from a Nest application context through the
 * public injection token: exactly what the guard calls. Also returns the Scalekit client the module created.
 */
export async function moduleVerifier(options) {
  const { McpOAuthModule, TOKEN_VERIFIER, SCALEKIT_CLIENT } = await importLib();
  const { NestFactory } = await import('@nestjs/core');
  const { Module } = await import('@nestjs/common');
  class BenchModule {}
  Module({ imports: [McpOAuthModule.forRoot({ eventLog: false, guard: false, ...options })] })(BenchModule);
  const context = await NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
  return {
    verifier: context.get(TOKEN_VERIFIER),
    scalekit: context.get(SCALEKIT_CLIENT),
    close: () => context.close(),
  };
}
