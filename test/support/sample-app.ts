import { expect, jest } from '@jest/globals';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { protectedResourceMetadataUrl } from 'nestjs-mcp-oauth';
import { LocalIssuer, type MintTokenOptions } from 'nestjs-mcp-oauth/testing';
import { createSampleApp } from '../../apps/sample/src/create-sample-app.js';
import { captureConsole, type ConsoleCapture } from './console-capture.js';
import { freePort } from './free-port.js';
import type { HttpPlatform } from './platforms.js';

/** Where a running sample serves what: derived here only, the metadata URLs by the library's own RFC 9728 rule. */
export interface SampleUrls {
  /** `http://127.0.0.1:<port>`, where the sample listens. */
  base: string;
  /** The MCP endpoint (MCP_SERVER_URL): the resource identifier, and the audience of its tokens. */
  mcp: string;
  /** The path-inserted metadata URL (`/.well-known/oauth-protected-resource/mcp`): the one challenges name. */
  metadataPath: string;
  /** The metadata URL at the root (`/.well-known/oauth-protected-resource`), which clients try next. */
  metadataRoot: string;
  /** The public health check. */
  health: string;
}

function sampleUrls(base: string, mcp: string): SampleUrls {
  return {
    base,
    mcp,
    metadataPath: protectedResourceMetadataUrl(mcp),
    metadataRoot: protectedResourceMetadataUrl(new URL(mcp).origin),
    health: `${base}/healthz`,
  };
}

/** What the sample logs to: a logger object captures it (library events included), levels print those levels. */
export type SampleLogger = LoggerService | LogLevel[] | false;

/** The sample app booted in this process on 127.0.0.1 with the given environment. */
export interface RunningSample {
  app: INestApplication;
  urls: SampleUrls;
  close(): Promise<void>;
}

/**
 * Sets the environment, then imports and boots the sample module (ConfigModule validates when the module file is
 * imported, so the environment must be in place first). One environment per module registry: Jest gives each file its
 * own, and {@link startSampleWithIssuerInOwnRegistry} one per boot. `platform` sets `MCP_HTTP_PLATFORM` (Express
 * unless given; a value in `env` wins).
 */
export async function startSample(
  env: Record<string, string>,
  options: { logger?: SampleLogger; platform?: HttpPlatform } = {},
): Promise<RunningSample> {
  const port = Number(env.PORT ?? (await freePort()));
  const base = `http://127.0.0.1:${port}`;
  const mcpUrl = env.MCP_SERVER_URL ?? `${base}/mcp`;
  // A logger object captures what the app logs: send the library's event lines to it too (not to stdout).
  const eventLog = typeof options.logger === 'object' && !Array.isArray(options.logger) ? 'nest-logger' : 'json-lines';
  Object.assign(process.env, {
    HOST: '127.0.0.1',
    MCP_EVENT_LOG: eventLog,
    MCP_HTTP_PLATFORM: options.platform ?? 'express',
    ...env,
    PORT: String(port),
    MCP_SERVER_URL: mcpUrl,
  });
  const { app } = await createSampleApp({ logger: options.logger ?? ['error'] });
  await app.listen(port, '127.0.0.1');
  return { app, urls: sampleUrls(base, mcpUrl), close: () => app.close() };
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

/** The sample in Scalekit mode and the `LocalIssuer` standing in for its Scalekit environment. */
export interface SampleWithIssuer {
  issuer: LocalIssuer;
  sample: RunningSample;
  urls: SampleUrls;
  resourceId: string;
  /** The `aud` of a Scalekit access token for this sample: its MCP URL and its resource id. */
  audience: string[];
  /** A token of the issuer for this sample with these scopes; `overrides` change any other option (subject...). */
  token(scopes: string[], overrides?: MintTokenOptions): string;
  /** Stops the sample, then the issuer. */
  close(): Promise<void>;
}

/** Options of {@link startSampleWithIssuer}. */
export interface SampleWithIssuerOptions {
  resourceId?: string;
  env?: Record<string, string>;
  logger?: SampleLogger;
  /** The HTTP platform (`MCP_HTTP_PLATFORM`); Express when not given. */
  platform?: HttpPlatform;
  beforeSample?: (issuer: LocalIssuer) => unknown;
}

/**
 * Starts a `LocalIssuer` with a Scalekit resource id, then the sample against it ({@link scalekitStandInEnv}, with
 * `env` on top), both on 127.0.0.1. `beforeSample` runs on the issuer before the sample boots (e.g. `goOffline()`).
 */
export async function startSampleWithIssuer(options: SampleWithIssuerOptions = {}): Promise<SampleWithIssuer> {
  const resourceId = options.resourceId ?? 'res_e2e';
  const issuer = await LocalIssuer.start({ scalekitResourceId: resourceId });
  let sample: RunningSample;
  try {
    await options.beforeSample?.(issuer);
    sample = await startSample(
      { ...scalekitStandInEnv(issuer.url, resourceId), ...options.env },
      { logger: options.logger, platform: options.platform },
    );
  } catch (error) {
    await issuer.stop();
    throw error;
  }
  const audience = [sample.urls.mcp, resourceId];
  return {
    issuer,
    sample,
    urls: sample.urls,
    resourceId,
    audience,
    token: (scopes, overrides = {}) => issuer.mintToken({ audience, scopes, ...overrides }),
    close: async () => {
      await sample.close();
      await issuer.stop();
    },
  };
}

/**
 * {@link startSampleWithIssuer} in a module registry of its own: the sample's ConfigModule validates the environment
 * (port, MCP_SERVER_URL, platform...) when its module file is first imported, so every further configuration in one
 * test file (another platform, another TRUST_PROXY) needs a fresh import of the sample and everything it loads.
 */
export async function startSampleWithIssuerInOwnRegistry(options: SampleWithIssuerOptions): Promise<SampleWithIssuer> {
  let fixture: SampleWithIssuer | undefined;
  await jest.isolateModulesAsync(async () => {
    const isolated = await import('./sample-app.js');
    fixture = await isolated.startSampleWithIssuer(options);
  });
  if (!fixture) throw new Error('sample not started');
  return fixture;
}

/**
 * What oidc-provider prints for the sample's embedded development authorization server (README, "Getting started"):
 * the runtime warning on Node 20, the in-memory adapter notice at start, and at the first dynamic registration the
 * notice about the body the sample parsed itself.
 */
export const OIDC_PROVIDER_DEVELOPMENT_WARNINGS: readonly RegExp[] = [
  /^console\.warn oidc-provider WARNING: Unsupported runtime\. Use Node\.js v22\.x LTS/,
  /^console\.warn oidc-provider WARNING: a quick start development-only in-memory adapter is used/,
  /^console\.warn oidc-provider WARNING: already parsed request body detected/,
];

/** oidc-provider printed its start-up notice (so the capture works) and nothing but the expected warnings. */
export function expectOnlyOidcProviderDevelopmentWarnings(sample: EmbeddedSample): void {
  const lines = sample.oidcProviderOutput.lines;
  expect(lines).toContainEqual(expect.stringMatching(OIDC_PROVIDER_DEVELOPMENT_WARNINGS[1]));
  expect(lines.filter((line) => !OIDC_PROVIDER_DEVELOPMENT_WARNINGS.some((known) => known.test(line)))).toEqual([]);
}

/** The sample with its embedded authorization server, and what oidc-provider printed (captured, not printed). */
export interface EmbeddedSample extends RunningSample {
  /** Every console line of oidc-provider since the start: a suite asserts it holds only the expected ones. */
  oidcProviderOutput: ConsoleCapture;
}

/**
 * The sample as `npm start` runs it: no Scalekit settings (any inherited ones removed) and no NODE_ENV, so it mounts
 * its embedded development authorization server (oidc-provider) at `/oauth` on its own origin. oidc-provider's
 * console output is captured until `close()`; any other console output still fails the test.
 */
export async function startEmbeddedSample(options: { logger?: SampleLogger } = {}): Promise<EmbeddedSample> {
  for (const name of Object.keys(process.env)) if (name.startsWith('SCALEKIT_')) delete process.env[name];
  delete process.env.NODE_ENV;
  const oidcProviderOutput = captureConsole((line) => /^console\.\w+ oidc-provider /.test(line));
  try {
    const sample = await startSample({}, options);
    return {
      ...sample,
      oidcProviderOutput,
      close: async () => {
        await sample.close();
        oidcProviderOutput.restore();
      },
    };
  } catch (error) {
    oidcProviderOutput.restore();
    throw error;
  }
}
