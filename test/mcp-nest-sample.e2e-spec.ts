import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { authorizeHeadlessly, HeadlessOAuthClient } from '@nestjs-mcp-oauth/sample-kit/oauth-client';
import { itServesTheBehaviourTableBasics } from './support/behaviour-table-basics.js';
import type { ConsoleCapture } from './support/console-capture.js';
import { freePort } from './support/free-port.js';
import { type McpNestSample, startMcpNestSample } from './support/mcp-nest-sample.js';
import { postMcp, toolCall } from './support/mcp-requests.js';
import { itCompletesTheOAuthJourney } from './support/oauth-journey.js';
import { expectOnlyOidcProviderDevelopmentWarnings } from './support/sample-app.js';
import { type SampleProcess, startSampleProcess } from './support/sample-process.js';

/**
 * The mcp-nest sample (`npm run start:mcp-nest`: the sample's tools on @rekog/mcp-nest) as it starts with no
 * environment, on Express with the sample kit's embedded development authorization server: real OAuth clients from
 * no token to tool calls and step-up, and the behaviour table basics with tokens that server issues.
 */
describe('mcp-nest sample on Express with the embedded authorization server', () => {
  let sample: McpNestSample;

  beforeAll(async () => {
    sample = await startMcpNestSample('express', { mode: 'embedded' });
  });
  afterAll(() => sample?.close());

  itCompletesTheOAuthJourney(() => sample.urls.mcp);

  itServesTheBehaviourTableBasics(() => sample);

  it("printed nothing but oidc-provider's expected development warnings", () => {
    const { oidcProviderOutput } = sample;
    expect(oidcProviderOutput).toBeDefined();
    expectOnlyOidcProviderDevelopmentWarnings({ ...sample, oidcProviderOutput: oidcProviderOutput as ConsoleCapture });
  });
});

describe('npm run start:mcp-nest (the built app in a process of its own, offline)', () => {
  let server: SampleProcess;

  beforeAll(async () => {
    server = await startSampleProcess({ PORT: String(await freePort()) }, 'dist/apps/mcp-nest-sample/main.js');
  });
  afterAll(() => server?.stop());

  it('prints where everything is, and serves tools to a client its embedded authorization server authorized', async () => {
    const mcpUrl = `http://localhost:${new URL(server.baseUrl).port}/mcp`;
    expect(server.output()).toContain('nestjs-mcp-oauth sample MCP server on @rekog/mcp-nest');
    expect(server.output()).toContain(`MCP endpoint          ${mcpUrl}`);
    expect(server.output()).toContain(`Authorization server  http://localhost:${new URL(server.baseUrl).port}/oauth`);
    const token = await authorizeHeadlessly(new HeadlessOAuthClient({ loginHint: 'process' }), mcpUrl, 'todo:read');
    const response = await postMcp(mcpUrl, toolCall('whoami'), { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      result: { structuredContent: { sub: 'process', scopes: ['todo:read'] } },
    });
  });
});
