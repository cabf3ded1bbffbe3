import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LocalIssuer } from 'nestjs-mcp-oauth/testing';
import { httpRequest } from './support/http.js';
import { MCP_HEADERS, postMcp, toolCall } from './support/mcp-requests.js';
import { type SampleWithIssuer, startSampleWithIssuerInOwnRegistry } from './support/sample-app.js';
import { type SdkWiredApp, startSdkWiredApp } from './support/sdk-wired-app.js';

/*
 * Finding E: the failed-authentication limiter. The rule (step 2, "limit", in libs/mcp-oauth/src/guard/
 * mcp-oauth.guard.ts): a caller whose token already verified (and is still valid) is never refused with 429 because of
 * other callers' failures from the same address. Behind a reverse proxy the sample's TRUST_PROXY (Express's `trust
 * proxy`; unset = off) decides what the client address is (README, "Events, audit trail, failed-authentication limit").
 */

const LIMIT = 5;
const JUNK_TOKEN = 'junk.junk.junk';
const RESOURCE_ID = 'res_limiter';

describe('finding E: a caller whose token already verified is not locked out by failures of others from its address (SDK-wired fixture, limit 5)', () => {
  let app: SdkWiredApp | undefined;
  let local: LocalIssuer | undefined;
  const fixture = () => app as SdkWiredApp;

  beforeAll(async () => {
    local = await LocalIssuer.start();
    app = await startSdkWiredApp(local);
  });
  afterAll(async () => {
    await app?.close();
    await local?.stop();
  });

  const call = (token: string) =>
    postMcp(fixture().mcpUrl, toolCall('whoami'), { authorization: `Bearer ${token}` }).then(async (response) => ({
      status: response.status,
      error: response.status === 200 ? undefined : ((await response.json()) as { error?: string }).error,
    }));

  it('E1: honest token 200; 10 junk tokens from the same address get 401s then 429; the honest token again 200; a never-seen valid token 429', async () => {
    const honest = (local as LocalIssuer).mintToken({ audience: fixture().mcpUrl, subject: 'honest' });
    expect(await call(honest)).toEqual({ status: 200, error: undefined });

    const junk: number[] = [];
    for (let attempt = 0; attempt < 10; attempt += 1) junk.push((await call(JUNK_TOKEN)).status);
    expect(junk.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(junk.at(-1)).toBe(429);

    expect(await call(honest)).toEqual({ status: 200, error: undefined });
    const neverSeen = (local as LocalIssuer).mintToken({ audience: fixture().mcpUrl, subject: 'newcomer' });
    expect(await call(neverSeen)).toEqual({ status: 429, error: 'too_many_requests' });
  });
});

/**
 * Boots the sample (and its issuer) in its own module registry, the limiter at 5, `TRUST_PROXY` as given (unset when
 * `undefined`): the sample validates its environment when its module is first imported, so two environments in one
 * file need two registries.
 */
async function bootSample(trustProxy: string | undefined): Promise<SampleWithIssuer> {
  if (trustProxy === undefined) delete process.env.TRUST_PROXY;
  return startSampleWithIssuerInOwnRegistry({
    resourceId: RESOURCE_ID,
    env: {
      MCP_AUTH_FAILURES_PER_MINUTE: String(LIMIT),
      ...(trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy }),
    },
    logger: false,
  });
}

/** A whoami from a client behind the (loopback) reverse proxy, named by X-Forwarded-For. */
async function viaProxy(fixture: SampleWithIssuer, clientAddress: string, token: string): Promise<number> {
  const response = await httpRequest(fixture.urls.mcp, {
    headers: { ...MCP_HEADERS, authorization: `Bearer ${token}`, 'x-forwarded-for': clientAddress },
    body: JSON.stringify(toolCall('whoami')),
  });
  return response.status;
}

describe('finding E: behind a reverse proxy, TRUST_PROXY=loopback makes the limiter count per real client (sample, Scalekit stand-in)', () => {
  let sample: SampleWithIssuer | undefined;

  beforeAll(async () => {
    sample = await bootSample('loopback');
  });
  afterAll(async () => {
    await sample?.close();
    delete process.env.TRUST_PROXY;
  });

  it('E2: 10 junk tokens from X-Forwarded-For 203.0.113.7 get that client 429; a fresh valid token from 203.0.113.8 gets 200', async () => {
    const running = sample as SampleWithIssuer;
    const junk: number[] = [];
    for (let attempt = 0; attempt < 10; attempt += 1) junk.push(await viaProxy(running, '203.0.113.7', JUNK_TOKEN));
    expect(junk.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(junk.at(-1)).toBe(429);

    const fresh = running.token([], { subject: 'behind-proxy' });
    expect(await viaProxy(running, '203.0.113.8', fresh)).toBe(200);
  });
});

describe('finding E: without TRUST_PROXY the proxy is the client: failures block everyone behind it (sample, Scalekit stand-in)', () => {
  let sample: SampleWithIssuer | undefined;

  beforeAll(async () => {
    sample = await bootSample(undefined);
  });
  afterAll(async () => {
    await sample?.close();
  });

  it('E3: 10 junk tokens with X-Forwarded-For 203.0.113.7, then a never-seen valid token with X-Forwarded-For 203.0.113.8 gets 429', async () => {
    const running = sample as SampleWithIssuer;
    const junk: number[] = [];
    for (let attempt = 0; attempt < 10; attempt += 1) junk.push(await viaProxy(running, '203.0.113.7', JUNK_TOKEN));
    expect(junk.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(junk.at(-1)).toBe(429);

    const neverSeen = running.token([], { subject: 'other-client' });
    expect(await viaProxy(running, '203.0.113.8', neverSeen)).toBe(429);
  });
});
