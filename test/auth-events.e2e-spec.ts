import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CaptureLogger } from './support/capture-logger.js';
import { httpRequest } from './support/http.js';
import { MCP_HEADERS, postMcp, toolCall } from './support/mcp-requests.js';
import { type SampleWithIssuer, startSampleWithIssuer } from './support/sample-app.js';

const FAILURES_PER_MINUTE = 5;

/** Structured auth events, the audit trail of tool calls, and the failed-authentication limiter of the sample. */
describe('auth events, audit trail and failed-authentication limiting (sample app)', () => {
  let fixture: SampleWithIssuer;
  let mcpUrl: string;
  const logger = new CaptureLogger();
  const token = (scopes: string[], subject = 'auditor') => fixture.token(scopes, { subject });

  beforeAll(async () => {
    fixture = await startSampleWithIssuer({
      resourceId: 'res_events',
      env: { MCP_AUTH_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE) },
      logger,
    });
    mcpUrl = fixture.urls.mcp;
  });
  afterAll(() => fixture?.close());

  it('logs each tools/call that passed the guard once, with who, what, scopes, outcome and correlation id', async () => {
    const response = await postMcp(mcpUrl, toolCall('create_todo', { title: 'audited' }), {
      authorization: `Bearer ${token(['todo:write'])}`,
      'x-request-id': 'req-audit-1',
    });
    expect(response.status).toBe(200);
    // The correlation id is ours (callers cannot forge it); the caller's id is recorded beside it.
    const correlationId = response.headers.get('x-request-id');
    expect(correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const audit = logger.events('tool_call').filter((event) => event.correlationId === correlationId);
    expect(audit).toEqual([
      expect.objectContaining({
        clientRequestId: 'req-audit-1',
        tool: 'create_todo',
        subject: 'auditor',
        clientId: 'test-client',
        grantedScopes: ['todo:write'],
        outcome: 'completed',
        status: 200,
      }),
    ]);
    expect(JSON.stringify(audit)).not.toContain('audited');
  });

  it('logs denials with a reason and step-up challenges, each with a correlation id', async () => {
    await postMcp(mcpUrl, toolCall('delete_todo', { id: 'x' }), {
      authorization: `Bearer ${token(['todo:read'])}`,
      'x-request-id': 'req-step-up',
    });
    expect(logger.events('step_up_challenged')).toContainEqual(
      expect.objectContaining({
        correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        clientRequestId: 'req-step-up',
        missingScopes: ['todo:write'],
        tools: ['delete_todo'],
        subject: 'auditor',
      }),
    );
    const expired = fixture.token([], { expiresIn: -600 });
    await postMcp(mcpUrl, toolCall('whoami'), {
      authorization: `Bearer ${expired}`,
      'x-request-id': 'req-expired',
    });
    expect(logger.events('denied')).toContainEqual(
      expect.objectContaining({
        clientRequestId: 'req-expired',
        status: 401,
        error: 'invalid_token',
        reason: 'expired',
      }),
    );
    expect(logger.events('keys_refreshed').length).toBeGreaterThanOrEqual(1);
  });

  it('answers 429 with Retry-After once an address exceeds its failures, before verifying; other addresses and credential-less requests are unaffected', async () => {
    const bad = { authorization: 'Bearer not.a.token' };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < FAILURES_PER_MINUTE + 3; attempt += 1) {
      statuses.push((await postMcp(mcpUrl, toolCall('whoami'), bad)).status);
    }
    expect(statuses.slice(0, FAILURES_PER_MINUTE)).toEqual(Array(FAILURES_PER_MINUTE).fill(401));
    expect(statuses.at(-1)).toBe(429);

    // A valid token from the blocked address is refused too: the check comes before any signature work.
    const blocked = await postMcp(mcpUrl, toolCall('whoami'), { authorization: `Bearer ${token([])}` });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.headers.get('www-authenticate')).toBeNull();
    expect(logger.events('rate_limited').length).toBeGreaterThan(0);

    // Discovery still works from the blocked address: requests without credentials never count.
    const anonymous = await postMcp(mcpUrl, toolCall('whoami'));
    expect(anonymous.status).toBe(401);

    // Valid traffic from another loopback address is unaffected.
    const other = await httpRequest(mcpUrl, {
      headers: { ...MCP_HEADERS, authorization: `Bearer ${token([], 'other-address')}` },
      body: JSON.stringify(toolCall('whoami')),
      localAddress: '127.0.0.2',
    });
    expect(other.status).toBe(200);
  });

  it('never logs a token or an Authorization header value', () => {
    const everything = logger.lines.join('\n');
    expect(everything).not.toMatch(/eyJ[\w-]{10,}/);
    expect(everything).not.toContain('not.a.token');
  });
});
