import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LocalIssuer } from 'nestjs-mcp-oauth/testing';
import { freePort } from './support/free-port.js';
import { postMcp, toolCall } from './support/mcp-requests.js';
import { type RedisServer, redisServerOrSkipNotice, startRedisServer } from './support/redis-server.js';
import { type SampleProcess, startSampleProcess } from './support/sample-process.js';

const RESOURCE_ID = 'res_shared';
const LIMIT = 5;
const runs = redisServerOrSkipNotice('failed-authentication limit shared through Redis');

/**
 * Two instances of the sample, each its own process (no shared memory), behind one resource URL, as behind a load
 * balancer. With `REDIS_URL` the failed-authentication limit holds as one across them; without, each counts alone.
 */
async function startPair(issuer: LocalIssuer, extraEnv: Record<string, string>): Promise<SampleProcess[]> {
  const ports = [await freePort(), await freePort()];
  const resource = `http://127.0.0.1:${ports[0]}/mcp`;
  return Promise.all(
    ports.map((port) =>
      startSampleProcess({
        PORT: String(port),
        MCP_SERVER_URL: resource,
        SCALEKIT_ENVIRONMENT_URL: issuer.url,
        SCALEKIT_RESOURCE_ID: RESOURCE_ID,
        MCP_AUTH_FAILURES_PER_MINUTE: String(LIMIT),
        ...extraEnv,
      }),
    ),
  );
}

/** POSTs to one instance's own port (the shared resource URL names the first one). */
function post(instance: SampleProcess, authorization: string) {
  return postMcp(`${instance.baseUrl}/mcp`, toolCall('whoami'), { authorization });
}

/** Spreads `count` junk-token requests over the instances in turn; returns the statuses. */
async function junkAcross(instances: SampleProcess[], count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < count; index += 1) {
    statuses.push((await post(instances[index % instances.length], 'Bearer not.a.token')).status);
  }
  return statuses;
}

(runs ? describe : describe.skip)('failed-authentication limit shared through Redis (two sample processes)', () => {
  let issuer: LocalIssuer;
  let redis: RedisServer;
  const started: SampleProcess[] = [];
  /** A fresh valid token for the pair's shared resource URL. */
  const token = (pair: SampleProcess[]) => issuer.mintToken({ audience: pair[0].mcpUrl, scopes: [] });

  beforeAll(async () => {
    issuer = await LocalIssuer.start({ scalekitResourceId: RESOURCE_ID });
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(started.map((instance) => instance.stop()));
    await redis?.stop();
    await issuer?.stop();
  });

  it('holds one limit across both instances: failures spread over them are counted together', async () => {
    const pair = await startPair(issuer, { REDIS_URL: redis.url });
    started.push(...pair);
    const statuses = await junkAcross(pair, 16);
    // Each instance learns of the shared block from the next failure it counts itself: at most one more each.
    const unauthorized = statuses.filter((status) => status === 401).length;
    expect(unauthorized).toBeGreaterThanOrEqual(LIMIT);
    expect(unauthorized).toBeLessThanOrEqual(LIMIT + 2);
    expect(statuses.slice(-4)).toEqual([429, 429, 429, 429]);
    // A never-seen token from the blocked address is refused on both; no 5xx anywhere.
    expect((await post(pair[0], `Bearer ${token(pair)}`)).status).toBe(429);
    expect((await post(pair[1], `Bearer ${token(pair)}`)).status).toBe(429);
    expect(statuses.every((status) => status < 500)).toBe(true);
  }, 60_000);

  it('control: without Redis each instance counts alone, so the pair lets through twice as many failures', async () => {
    const pair = await startPair(issuer, {});
    started.push(...pair);
    const statuses = await junkAcross(pair, 16);
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThan(LIMIT + 2);
  }, 60_000);

  it('keeps authenticating when Redis is unreachable: the limiter fails open and says so, never a 5xx', async () => {
    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    const pair = await startPair(issuer, { REDIS_URL: nowhere });
    started.push(...pair);
    for (const instance of pair) {
      expect((await post(instance, `Bearer ${token(pair)}`)).status).toBe(200);
    }
    const statuses = await junkAcross(pair, 16);
    expect(statuses.every((status) => status === 401)).toBe(true);
    for (const instance of pair) expect((await post(instance, `Bearer ${token(pair)}`)).status).toBe(200);
    const logs = pair.map((instance) => instance.output()).join('\n');
    expect(logs).toMatch(/limiter_storage_failed|limiter fails open/);
  }, 60_000);

  it('recovers when Redis goes away and comes back', async () => {
    const pair = await startPair(issuer, { REDIS_URL: redis.url });
    started.push(...pair);
    await redis.stop();
    expect((await post(pair[0], `Bearer ${token(pair)}`)).status).toBe(200);
    expect((await junkAcross(pair, 4)).every((status) => status === 401)).toBe(true);
    redis = await startRedisServer({ port: redis.port });
    await new Promise((resolve) => setTimeout(resolve, 2500)); // ioredis reconnects within its retry delay
    const statuses = await junkAcross(pair, 16);
    expect(statuses.slice(-2)).toEqual([429, 429]);
  }, 60_000);
});
