import { afterAll, beforeAll, describe } from '@jest/globals';
import { LocalIssuer } from 'nestjs-mcp-oauth/testing';
import { itServesTheBehaviourTableBasics } from './support/behaviour-table-basics.js';
import { type McpNestSample, startMcpNestSample } from './support/mcp-nest-sample.js';

/**
 * The mcp-nest sample on Fastify (`MCP_HTTP_PLATFORM=fastify`), in Scalekit mode against a local stand-in (the
 * embedded development authorization server runs on Express only): the same behaviour table basics as on Express.
 */
describe('mcp-nest sample on Fastify (Scalekit mode)', () => {
  let issuer: LocalIssuer;
  let sample: McpNestSample;

  beforeAll(async () => {
    issuer = await LocalIssuer.start({ scalekitResourceId: 'res_mcp_nest' });
    sample = await startMcpNestSample('fastify', { mode: 'scalekit', issuer, resourceId: 'res_mcp_nest' });
  });
  afterAll(async () => {
    await sample?.close();
    await issuer?.stop();
  });

  itServesTheBehaviourTableBasics(() => sample);
});
