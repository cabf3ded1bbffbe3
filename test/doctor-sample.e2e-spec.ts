import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { authorizeHeadlessly, HeadlessOAuthClient } from '@nestjs-mcp-oauth/sample-kit/oauth-client';
import { DOCTOR_CHECK_IDS, DOCTOR_TOKEN_CHECK_IDS } from '../libs/mcp-oauth/src/doctor/doctor-report.js';
import { runDoctor } from '../libs/mcp-oauth/src/doctor/run-doctor.js';
import {
  type EmbeddedSample,
  expectOnlyOidcProviderDevelopmentWarnings,
  startEmbeddedSample,
} from './support/sample-app.js';

/** A real token from the sample's embedded authorization server: discovery, registration, PKCE, code, token. */
function fetchToken(mcpUrl: string, scope: string): Promise<string> {
  return authorizeHeadlessly(new HeadlessOAuthClient({ loginHint: 'doctor' }), mcpUrl, scope);
}

/**
 * The doctor against the sample app in embedded mode (no Scalekit settings: oidc-provider at /oauth on the same
 * origin), booted in this process: what `npm start` gives must pass every check.
 */
describe('doctor against the sample app with the embedded authorization server', () => {
  let sample: EmbeddedSample;

  beforeAll(async () => {
    sample = await startEmbeddedSample();
  });
  afterAll(() => sample?.close());

  it('passes every check', async () => {
    const report = await runDoctor(sample.urls.mcp);
    expect(report.checks.map((check) => check.id)).toEqual([...DOCTOR_CHECK_IDS]);
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    const messages = Object.fromEntries(report.checks.map((check) => [check.id, check.message]));
    expect(messages['authorization-server-metadata']).toBe(
      `${sample.urls.base}/oauth: RFC 8414 metadata at ${sample.urls.base}/.well-known/oauth-authorization-server/oauth, issuer matches`,
    );
    expect(messages.registration).toBe(
      `${sample.urls.base}/oauth: dynamic client registration at ${sample.urls.base}/oauth/register`,
    );
    expect(messages.scopes).toBe('scopes_supported: todo:read todo:write');
  });

  it('with a token from the embedded authorization server, token-audience and tools-list pass too', async () => {
    const token = await fetchToken(sample.urls.mcp, 'todo:read todo:write');
    const report = await runDoctor(sample.urls.mcp, { token });
    expect(report.checks.map((check) => check.id)).toEqual([...DOCTOR_CHECK_IDS, ...DOCTOR_TOKEN_CHECK_IDS]);
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    const [audience, toolsList] = report.checks.slice(-2);
    expect(audience.message).toBe(`the token's aud contains "${sample.urls.mcp}"`);
    expect(toolsList.message).toBe(
      'initialize and tools/list succeeded with the token: 5 tools (whoami, list_todos, create_todo, complete_todo, delete_todo)',
    );
    expect(JSON.stringify(report)).not.toContain(token);
  });

  it('connecting with localhost instead of the configured 127.0.0.1 fails resource-match, as real clients would', async () => {
    const localhostUrl = sample.urls.mcp.replace('127.0.0.1', 'localhost');
    const report = await runDoctor(localhostUrl);
    expect(report.checks.filter((check) => !check.ok).map((check) => check.id)).toEqual(['resource-match']);
    expect(report.checks.find((check) => check.id === 'resource-match')?.message).toContain(
      `the metadata's resource is "${sample.urls.mcp}" but clients connect to "${localhostUrl}"`,
    );
  });

  it('a token for another resource: the sample refuses it with invalid_token, and the doctor says why', async () => {
    const token = await fetchToken(sample.urls.mcp, 'todo:read');
    const [header, , signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, aud: 'https://elsewhere.example/mcp' })).toString('base64url')}.${signature}`;
    const report = await runDoctor(sample.urls.mcp, { token: forged });
    const failing = report.checks.filter((check) => !check.ok);
    expect(failing.map((check) => check.id)).toEqual(['token-audience', 'tools-list']);
    expect(failing[1].message).toMatch(
      /^initialize with the token answered 401 error="invalid_token" error_description=/,
    );
    expect(JSON.stringify(report)).not.toContain(forged);
  });

  it("printed nothing but oidc-provider's expected development warnings (README, Getting started)", () => {
    expectOnlyOidcProviderDevelopmentWarnings(sample);
  });
});
