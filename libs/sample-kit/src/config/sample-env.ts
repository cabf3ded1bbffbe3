import type { ConfigService } from '@nestjs/config';
import { isLoopbackHost } from 'nestjs-mcp-oauth';
import { z } from 'zod';

/** Environment of the sample app (the variables table in the README). */
export interface SampleEnv {
  PORT: number;
  HOST: string;
  MCP_SERVER_URL: string;
  NODE_ENV: string | undefined;
  SCALEKIT_ENVIRONMENT_URL: string | undefined;
  SCALEKIT_CLIENT_ID: string | undefined;
  SCALEKIT_CLIENT_SECRET: string | undefined;
  SCALEKIT_RESOURCE_ID: string | undefined;
  MCP_AUTH_FAILURES_PER_MINUTE: number;
  /** Benchmarking only: `true` switches authentication off (refused with NODE_ENV=production). */
  MCP_BENCHMARK_AUTH_OFF: boolean;
  /** Express's `trust proxy` setting (`undefined` = off): a hop count, `true`, or addresses / `loopback` ... */
  TRUST_PROXY: boolean | number | string | undefined;
  /** Redis the failed-authentication limiter keeps its counts in, shared by every instance (`undefined` = memory). */
  REDIS_URL: string | undefined;
  /** Where the library's event lines go: `json-lines` on stdout (default), `nest-logger`, or `off`. */
  MCP_EVENT_LOG: 'json-lines' | 'nest-logger' | 'off';
  /** The Nest HTTP platform: `express` (default) or `fastify`. */
  MCP_HTTP_PLATFORM: 'express' | 'fastify';
}

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  MCP_SERVER_URL: optionalText,
  NODE_ENV: optionalText,
  SCALEKIT_ENVIRONMENT_URL: optionalText,
  SCALEKIT_CLIENT_ID: optionalText,
  SCALEKIT_CLIENT_SECRET: optionalText,
  SCALEKIT_RESOURCE_ID: optionalText,
  MCP_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  MCP_BENCHMARK_AUTH_OFF: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((value) => value === 'true' || value === '1'),
  TRUST_PROXY: optionalText.transform(trustProxySetting),
  REDIS_URL: optionalText,
  MCP_EVENT_LOG: z.enum(['json-lines', 'nest-logger', 'off']).default('json-lines'),
  MCP_HTTP_PLATFORM: z.enum(['express', 'fastify']).default('express'),
});

/** `TRUST_PROXY` as Express's `trust proxy` value: `true`/`false`, a hop count, or a list of addresses / names. */
export function trustProxySetting(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined || value === 'false') return undefined;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * Validates and completes the environment (ConfigModule `validate`): one error listing every problem, each naming
 * the variable and what to set.
 */
export function validateSampleEnv(raw: Record<string, unknown>): SampleEnv {
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Sample app configuration error:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const problems: string[] = [];
  if (!env.SCALEKIT_ENVIRONMENT_URL && env.NODE_ENV === 'production') {
    problems.push(
      'SCALEKIT_ENVIRONMENT_URL: is not set and NODE_ENV=production. The embedded authorization server is for ' +
        'development only; set SCALEKIT_ENVIRONMENT_URL (e.g. https://acme.scalekit.com), SCALEKIT_RESOURCE_ID ' +
        '(res_...), SCALEKIT_CLIENT_ID, SCALEKIT_CLIENT_SECRET and MCP_SERVER_URL.',
    );
  } else if (env.SCALEKIT_ENVIRONMENT_URL && !env.SCALEKIT_RESOURCE_ID) {
    problems.push("SCALEKIT_RESOURCE_ID: is not set; set it to the MCP server's resource id in Scalekit (res_...).");
  }
  if (
    env.REDIS_URL !== undefined &&
    !/^rediss?:$/.test(URL.canParse(env.REDIS_URL) ? new URL(env.REDIS_URL).protocol : '')
  ) {
    problems.push(`REDIS_URL: "${env.REDIS_URL}" is not a redis:// or rediss:// URL; use e.g. redis://127.0.0.1:6379.`);
  }
  if (env.MCP_SERVER_URL !== undefined && !URL.canParse(env.MCP_SERVER_URL)) {
    problems.push(
      `MCP_SERVER_URL: "${env.MCP_SERVER_URL}" is not an absolute URL; use e.g. http://localhost:3000/mcp.`,
    );
  } else if (!env.SCALEKIT_ENVIRONMENT_URL && env.NODE_ENV !== 'production') {
    // The embedded authorization server logs anyone in without a form: it must never be reachable from elsewhere.
    if (!isLoopbackHost(env.HOST)) {
      problems.push(
        `HOST: "${env.HOST}" is not a loopback address; the embedded development authorization server (no login form) listens on loopback only (127.0.0.1, ::1, localhost). Set SCALEKIT_* to serve other hosts.`,
      );
    }
    const mcpHost = env.MCP_SERVER_URL ? new URL(env.MCP_SERVER_URL).hostname : 'localhost';
    if (!isLoopbackHost(mcpHost)) {
      problems.push(
        `MCP_SERVER_URL: "${env.MCP_SERVER_URL}" is not on a loopback host; the embedded development authorization server is for local use only. Set SCALEKIT_* for a public server.`,
      );
    }
    if (env.MCP_HTTP_PLATFORM === 'fastify') {
      problems.push(
        'MCP_HTTP_PLATFORM: fastify is supported with Scalekit settings (SCALEKIT_*); the embedded development authorization server (oidc-provider on an Express router) runs with MCP_HTTP_PLATFORM=express.',
      );
    }
    if (env.PORT === 0)
      problems.push(
        'PORT: 0 cannot be used with the embedded authorization server (its issuer URL needs the port); choose a port, or set SCALEKIT_* to use Scalekit.',
      );
  }
  if (problems.length > 0) {
    throw new Error(`Sample app configuration error:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
  return { ...env, MCP_SERVER_URL: env.MCP_SERVER_URL ?? `http://localhost:${env.PORT}/mcp` };
}

const SAMPLE_ENV_KEYS = [
  'PORT',
  'HOST',
  'MCP_SERVER_URL',
  'NODE_ENV',
  'SCALEKIT_ENVIRONMENT_URL',
  'SCALEKIT_CLIENT_ID',
  'SCALEKIT_CLIENT_SECRET',
  'SCALEKIT_RESOURCE_ID',
  'MCP_AUTH_FAILURES_PER_MINUTE',
  'MCP_BENCHMARK_AUTH_OFF',
  'TRUST_PROXY',
  'REDIS_URL',
  'MCP_EVENT_LOG',
  'MCP_HTTP_PLATFORM',
] as const satisfies ReadonlyArray<keyof SampleEnv>;

/** The validated environment, read back from ConfigService. */
export function sampleEnvFrom(config: ConfigService<SampleEnv, true>): SampleEnv {
  return Object.fromEntries(
    SAMPLE_ENV_KEYS.map((key) => [key, config.get(key, { infer: true })]),
  ) as unknown as SampleEnv;
}
