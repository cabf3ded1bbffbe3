import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { createSampleApp } from '../../apps/sample/src/create-sample-app.js';
import { freePort } from './free-port.js';

/** The sample app booted in this process on 127.0.0.1 with the given environment. */
export interface RunningSample {
  app: INestApplication;
  baseUrl: string;
  mcpUrl: string;
  close(): Promise<void>;
}

/**
 * Sets the environment, then imports and boots the sample module (ConfigModule validates when the module file is
 * imported, so the environment must be in place first). One environment per test file: Jest gives each file its
 * own module registry.
 */
export async function startSample(
  env: Record<string, string>,
  options: { logger?: LoggerService | LogLevel[] | false } = {},
): Promise<RunningSample> {
  const port = Number(env.PORT ?? (await freePort()));
  const mcpUrl = env.MCP_SERVER_URL ?? `http://127.0.0.1:${port}/mcp`;
  // A logger object captures what the app logs: send the library's event lines to it too (not to stdout).
  const eventLog = typeof options.logger === 'object' && !Array.isArray(options.logger) ? 'nest-logger' : 'json-lines';
  Object.assign(process.env, {
    HOST: '127.0.0.1',
    MCP_EVENT_LOG: eventLog,
    ...env,
    PORT: String(port),
    MCP_SERVER_URL: mcpUrl,
  });
  const { app } = await createSampleApp({ logger: options.logger ?? ['error'] });
  await app.listen(port, '127.0.0.1');
  return { app, baseUrl: `http://127.0.0.1:${port}`, mcpUrl, close: () => app.close() };
}

/**
 * The environment of the sample in Scalekit mode against a local stand-in (`LocalIssuer` with a resource id),
 * with placeholder API credentials and the failed-authentication limiter off (suites that send many bad tokens
 * from one address would otherwise meet 429s).
 */
export function scalekitStandInEnv(issuerUrl: string, resourceId: string): Record<string, string> {
  return {
    SCALEKIT_ENVIRONMENT_URL: issuerUrl,
    SCALEKIT_RESOURCE_ID: resourceId,
    SCALEKIT_CLIENT_ID: 'skc_dummy',
    SCALEKIT_CLIENT_SECRET: 'dummy-secret',
    MCP_AUTH_FAILURES_PER_MINUTE: '0',
  };
}
