import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auth } from '@modelcontextprotocol/client';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { authorizeHeadlessly, HeadlessOAuthClient } from '@nestjs-mcp-oauth/sample-kit/oauth-client';
import { builtFile } from './support/built-output.js';
import { itCompletesTheOAuthJourney } from './support/oauth-journey.js';
import {
  type EmbeddedSample,
  expectOnlyOidcProviderDevelopmentWarnings,
  startEmbeddedSample,
} from './support/sample-app.js';

const run = promisify(execFile);

/**
 * `npm start` with no environment: the embedded authorization server (oidc-provider) on the same origin, and real
 * OAuth clients completing the whole MCP authorization flow against it with no token handed to them.
 */
describe('sample app with the embedded authorization server', () => {
  let sample: EmbeddedSample;

  beforeAll(async () => {
    sample = await startEmbeddedSample();
  });
  afterAll(() => sample?.close());

  it('advertises the embedded authorization server, whose issuer equals the authorization_servers entry', async () => {
    const metadata = (await (await fetch(sample.urls.metadataPath)).json()) as {
      authorization_servers: string[];
    };
    expect(metadata.authorization_servers).toEqual([`${sample.urls.base}/oauth`]);
    const asMetadata = (await (
      await fetch(`${sample.urls.base}/.well-known/oauth-authorization-server/oauth`)
    ).json()) as Record<string, unknown>;
    expect(asMetadata.issuer).toBe(`${sample.urls.base}/oauth`);
    expect(asMetadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(asMetadata.registration_endpoint).toBe(`${sample.urls.base}/oauth/register`);
  });

  it.each([
    '/.well-known/oauth-authorization-server/oauth',
    '/.well-known/openid-configuration/oauth',
    '/oauth/.well-known/openid-configuration',
  ])('advertises the resource scopes beside the OIDC ones in scopes_supported at %s', async (path) => {
    const metadata = (await (await fetch(`${sample.urls.base}${path}`)).json()) as { scopes_supported: string[] };
    expect(metadata.scopes_supported).toEqual(['openid', 'offline_access', 'todo:read', 'todo:write']);
  });

  it.each(['/oauth/register', '/.well-known/oauth-authorization-server/oauth', '/oauth/token'])(
    'answers CORS preflights from loopback browser pages (MCP Inspector) on %s',
    async (path) => {
      const response = await fetch(`${sample.urls.base}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:6274',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    },
  );

  itCompletesTheOAuthJourney(() => sample.urls.mcp);

  it('issues refresh tokens to clients registered for them, and refreshing keeps the audience', async () => {
    const oauth = new HeadlessOAuthClient();
    await authorizeHeadlessly(oauth, sample.urls.mcp, 'todo:read');
    const refreshToken = oauth.tokens()?.refresh_token;
    expect(refreshToken).toEqual(expect.any(String));
    const client = oauth.clientInformation();
    const response = await fetch(`${sample.urls.base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken as string,
        client_id: client?.client_id as string,
      }),
    });
    expect(response.status).toBe(200);
    const refreshed = (await response.json()) as { access_token: string };
    const claims = JSON.parse(Buffer.from(refreshed.access_token.split('.')[1], 'base64url').toString()) as {
      aud: string;
    };
    expect(claims.aud).toBe(sample.urls.mcp);
  });

  it('registers loopback redirect URIs only (a server that logs anyone in must not send codes elsewhere)', async () => {
    const register = (redirectUri: string) =>
      fetch(`${sample.urls.base}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: [redirectUri],
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code'],
          response_types: ['code'],
        }),
      });
    const refused = await register('https://evil.example/callback');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_redirect_uri' });
    expect((await register('http://127.0.0.1:43210/callback')).status).toBe(201);
  });

  it('refuses a malformed login_hint with a clear 400', async () => {
    const oauth = new HeadlessOAuthClient({ loginHint: 'bad hint!' });
    await expect(auth(oauth, { serverUrl: sample.urls.mcp })).rejects.toThrow(/login_hint/);
  });

  describe('npm run token and an independent client (MCP Inspector CLI)', () => {
    it('the build exists (npm test builds before the e2e suites)', () => {
      expect(() => builtFile('dist/apps/sample/scripts/token.js')).not.toThrow();
    });

    it('npm run token prints a JWT for the requested scope and user; the Inspector CLI calls a tool with it', async () => {
      const env = { ...process.env, PORT: new URL(sample.urls.base).port, MCP_SERVER_URL: sample.urls.mcp };
      const { stdout } = await run(
        'npm',
        ['run', '--silent', 'token', '--', '--scope', 'todo:read todo:write', '--sub', 'inspector-user'],
        { env },
      );
      const token = stdout.trim();
      expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
      expect(claims).toMatchObject({
        sub: 'inspector-user',
        aud: sample.urls.mcp,
        iss: `${sample.urls.base}/oauth`,
        scope: 'todo:read todo:write',
      });

      // inspector-cli 1.0.3 reads ../package.json relative to its working directory: run it from test/.
      const inspector = await run(
        process.execPath,
        [
          '../node_modules/@modelcontextprotocol/inspector-cli/build/index.js',
          sample.urls.mcp,
          '--transport',
          'http',
          '--method',
          'tools/call',
          '--tool-name',
          'whoami',
          '--header',
          `Authorization: Bearer ${token}`,
        ],
        { cwd: 'test', env },
      );
      expect(JSON.parse(inspector.stdout)).toMatchObject({
        structuredContent: { sub: 'inspector-user', scopes: ['todo:read', 'todo:write'] },
      });
    });
  });

  it("printed nothing but oidc-provider's expected development warnings (README, Getting started)", () => {
    expectOnlyOidcProviderDevelopmentWarnings(sample);
  });
});
