import type { INestApplication } from '@nestjs/common';
import { authorizeHeadlessly, HeadlessOAuthClient } from '@nestjs-mcp-oauth/sample-kit/oauth-client';
import { protectedResourceMetadataUrl } from 'nestjs-mcp-oauth';
import type { LocalIssuer } from 'nestjs-mcp-oauth/testing';
import { createMcpNestSampleApp } from '../../apps/mcp-nest-sample/src/create-mcp-nest-sample-app.js';
import type { ServerUnderTest } from './behaviour-table-basics.js';
import { captureConsole, type ConsoleCapture } from './console-capture.js';
import { freePort } from './free-port.js';
import { type SampleUrls, scalekitStandInEnv } from './sample-app.js';

/** The mcp-nest sample running in this process on 127.0.0.1, and how to get tokens it accepts. */
export interface McpNestSample extends ServerUnderTest {
  app: INestApplication;
  /**
   * Embedded mode: every console line oidc-provider printed since the start (captured, not printed), for
   * `expectOnlyOidcProviderDevelopmentWarnings`.
   */
  oidcProviderOutput: ConsoleCapture | undefined;
  /** Stops the app (and the issuer). */
  close(): Promise<void>;
}

/** Where the mcp-nest sample gets its tokens: its embedded authorization server, or a Scalekit stand-in. */
export type McpNestSampleAuth = { mode: 'embedded' } | { mode: 'scalekit'; issuer: LocalIssuer; resourceId: string };

/**
 * Boots the mcp-nest sample (`apps/mcp-nest-sample`) as `npm run start:mcp-nest` would, on `platform`, with a port
 * chosen now: with its embedded development authorization server (Express only), or in Scalekit mode against a
 * `LocalIssuer` (`scalekitStandInEnv`). The environment is set first: ConfigModule validates it when the app module is
 * imported, once per test file.
 */
export async function startMcpNestSample(
  platform: 'express' | 'fastify',
  auth: McpNestSampleAuth,
): Promise<McpNestSample> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const mcp = `${base}/mcp`;
  for (const name of Object.keys(process.env)) if (name.startsWith('SCALEKIT_')) delete process.env[name];
  delete process.env.NODE_ENV;
  const modeEnv = auth.mode === 'scalekit' ? scalekitStandInEnv(auth.issuer.url, auth.resourceId) : {};
  Object.assign(process.env, modeEnv, {
    HOST: '127.0.0.1',
    PORT: String(port),
    MCP_SERVER_URL: mcp,
    MCP_HTTP_PLATFORM: platform,
    MCP_EVENT_LOG: 'off',
  });
  const oidcProviderOutput =
    auth.mode === 'embedded' ? captureConsole((line) => /^console\.\w+ oidc-provider /.test(line)) : undefined;
  let app: INestApplication;
  try {
    ({ app } = await createMcpNestSampleApp({ logger: ['error'] }));
    await app.listen(port, '127.0.0.1');
  } catch (error) {
    oidcProviderOutput?.restore();
    throw error;
  }
  const urls: SampleUrls = {
    base,
    mcp,
    metadataPath: protectedResourceMetadataUrl(mcp),
    metadataRoot: protectedResourceMetadataUrl(base),
    health: `${base}/healthz`,
  };
  return {
    app,
    urls,
    resourceName: 'nestjs-mcp-oauth mcp-nest sample todo server',
    authorizationServer: auth.mode === 'scalekit' ? `${auth.issuer.url}/resources/${auth.resourceId}` : `${base}/oauth`,
    token: (scopes, subject) =>
      auth.mode === 'scalekit'
        ? Promise.resolve(auth.issuer.mintToken({ audience: [mcp, auth.resourceId], scopes, subject }))
        : authorizeHeadlessly(new HeadlessOAuthClient({ loginHint: subject }), mcp, scopes.join(' ')),
    oidcProviderOutput,
    close: async () => {
      await app.close();
      oidcProviderOutput?.restore();
    },
  };
}
