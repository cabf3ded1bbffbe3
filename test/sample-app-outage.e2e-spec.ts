import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { postMcp, toolCall } from './support/mcp-requests.js';
import { type SampleWithIssuer, startSampleWithIssuer } from './support/sample-app.js';

/** Authorization server unreachable before any key was cached: 503 with Retry-After, never 401, then recovery. */
describe('sample app when the authorization server is down', () => {
  let fixture: SampleWithIssuer;

  beforeAll(async () => {
    fixture = await startSampleWithIssuer({ resourceId: 'res_outage', beforeSample: (issuer) => issuer.goOffline() });
  });

  afterAll(() => fixture?.close());

  it('starts although the authorization server is unreachable (keys are fetched lazily)', async () => {
    expect((await fetch(fixture.urls.health)).status).toBe(200);
  });

  it('answers 503 with Retry-After and no challenge, then serves again once it is back', async () => {
    const token = fixture.token(['todo:read']);
    const mcpUrl = fixture.urls.mcp;
    const down = await postMcp(mcpUrl, toolCall('whoami'), { authorization: `Bearer ${token}` });
    expect(down.status).toBe(503);
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(down.headers.get('www-authenticate')).toBeNull();
    expect(await down.text()).not.toContain(token.slice(0, 16));

    await fixture.issuer.goOnline();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt += 1) {
      status = (await postMcp(mcpUrl, toolCall('whoami'), { authorization: `Bearer ${token}` })).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });
});
