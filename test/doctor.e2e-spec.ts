import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { DOCTOR_CHECK_IDS, type DoctorCheckId, type DoctorReport } from '../libs/mcp-oauth/src/doctor/doctor-report.js';
import { runDoctor } from '../libs/mcp-oauth/src/doctor/run-doctor.js';
import { type DoctorFixture, type DoctorFixtureOptions, startDoctorFixture } from './support/doctor-fixtures.js';
import { freePort } from './support/free-port.js';

const ALL_IDS = [...DOCTOR_CHECK_IDS, 'token-audience', 'tools-list'];

function byId(report: DoctorReport): Record<string, { ok: boolean; message: string }> {
  return Object.fromEntries(report.checks.map(({ id, ok, message }) => [id, { ok, message }]));
}

function failingIds(report: DoctorReport): string[] {
  return report.checks.filter((check) => !check.ok).map((check) => check.id);
}

/**
 * `runDoctor` against small loopback servers that are correct except for one planted defect each: the defect's
 * check fails with a message saying what to fix, the checks that depend on it fail naming it, every other passes.
 */
describe('doctor against fixture servers', () => {
  let fixture: DoctorFixture | undefined;
  const start = async (options: DoctorFixtureOptions = {}) => (fixture = await startDoctorFixture(options));
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('passes every check, in the pinned order, against a correct server', async () => {
    const server = await start();
    const report = await runDoctor(server.mcpUrl);
    expect(report.checks.map((check) => check.id)).toEqual([...DOCTOR_CHECK_IDS]);
    expect(failingIds(report)).toEqual([]);
    const checks = byId(report);
    expect(checks.challenge.message).toContain(
      `resource_metadata=${server.baseUrl}/.well-known/oauth-protected-resource/mcp`,
    );
    expect(checks['authorization-server-metadata'].message).toContain(
      `RFC 8414 metadata at ${server.baseUrl}/.well-known/oauth-authorization-server/as`,
    );
    expect(checks.scopes.message).toBe('scopes_supported: todo:read todo:write');
  });

  it('with a token, also passes token-audience and tools-list, and sends the token only to the MCP URL', async () => {
    const server = await start();
    const token = server.mintToken();
    const report = await runDoctor(server.mcpUrl, { token });
    expect(report.checks.map((check) => check.id)).toEqual(ALL_IDS);
    expect(failingIds(report)).toEqual([]);
    expect(byId(report)['tools-list'].message).toMatch(/1 tool \(whoami\)/);
    const withToken = server.requests.filter((request) => request.authorization);
    expect(withToken.map((request) => request.rpcMethod)).toEqual([
      'initialize',
      'notifications/initialized',
      'tools/list',
    ]);
    expect(new Set(withToken.map((request) => request.path))).toEqual(new Set(['/mcp']));
    expect(JSON.stringify(report)).not.toContain(token);
  });

  it('reads SSE answers from a stream that stays open, and sends the session id back (then ends the session)', async () => {
    const server = await start({ sse: true, sessions: true });
    const report = await runDoctor(server.mcpUrl, { token: server.mintToken(), timeoutMs: 2000 });
    expect(failingIds(report)).toEqual([]);
    expect(byId(report)['tools-list'].message).toContain('session id honored');
    const list = server.requests.find((request) => request.rpcMethod === 'tools/list');
    expect(list?.sessionId).toBe('session-1');
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', path: '/mcp', sessionId: 'session-1' });
  });

  it.each([
    [
      'OIDC discovery, path-inserted',
      { authorizationServerMetadataAt: 'oidc-inserted' },
      '/.well-known/openid-configuration/as',
    ],
    [
      'OIDC discovery, path-appended',
      { authorizationServerMetadataAt: 'oidc-appended' },
      '/as/.well-known/openid-configuration',
    ],
    ['an issuer without a path', { issuerPath: '' }, '/.well-known/oauth-authorization-server'],
  ] as const)('finds authorization server metadata through %s, in the MCP SDK order', async (_name, options, path) => {
    const server = await start(options);
    const report = await runDoctor(server.mcpUrl);
    expect(failingIds(report)).toEqual([]);
    expect(byId(report)['authorization-server-metadata'].message).toContain(`at ${server.baseUrl}${path}`);
    const asRequests = server.requests.filter(
      (request) => !request.path.startsWith('/mcp') && !request.path.includes('protected-resource'),
    );
    const expectedOrder = {
      'oidc-inserted': ['/.well-known/oauth-authorization-server/as', '/.well-known/openid-configuration/as'],
      'oidc-appended': [
        '/.well-known/oauth-authorization-server/as',
        '/.well-known/openid-configuration/as',
        '/as/.well-known/openid-configuration',
      ],
    } as Record<string, string[]>;
    const at = 'authorizationServerMetadataAt' in options ? options.authorizationServerMetadataAt : undefined;
    if (at)
      expect(asRequests.map((request) => request.path).slice(0, expectedOrder[at].length)).toEqual(expectedOrder[at]);
  });

  it('follows a challenge that points to a metadata URL of its own, and says so', async () => {
    const server = await start({ customMetadataPath: '/meta/prm.json' });
    const report = await runDoctor(server.mcpUrl);
    expect(failingIds(report)).toEqual([]);
    expect(byId(report)['prm-path'].message).toBe(
      `metadata at ${server.baseUrl}/.well-known/oauth-protected-resource/mcp: 200, JSON, readable cross-origin; note: the 401 challenge's resource_metadata points elsewhere, to ${server.baseUrl}/meta/prm.json (readable, same resource), and clients follow it first`,
    );
    expect(server.requests.some((request) => request.path === '/meta/prm.json')).toBe(true);
  });

  const defects: Array<[string, DoctorCheckId, DoctorFixtureOptions, RegExp, DoctorCheckId[]]> = [
    [
      'an anonymous 401 carrying error="invalid_token"',
      'challenge',
      { anonymousChallengeError: true },
      /error="invalid_token" although the request had no credentials.*RFC 6750 §3\.1/,
      [],
    ],
    [
      'metadata only at the root URL',
      'prm-path',
      { metadataOnlyAtRoot: true },
      /oauth-protected-resource\/mcp answered 404; serve the RFC 9728 metadata at this path-inserted URL.*points to the root URL/,
      [],
    ],
    [
      'a challenge pointing to a metadata URL that answers 404',
      'prm-path',
      { customMetadataPath: '/meta/prm.json', customMetadataMissing: true },
      /^the 401 challenge's resource_metadata points to http:\/\/127\.0\.0\.1:\d+\/meta\/prm\.json, which clients follow first, but GET \S+ answered 404; point resource_metadata to http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp/,
      [],
    ],
    [
      'metadata only at the path-inserted URL',
      'prm-root',
      { metadataOnlyAtPath: true },
      /oauth-protected-resource answered 404; serve the metadata at the root URL too/,
      [],
    ],
    [
      'a resource with a trailing slash',
      'resource-match',
      { resource: (mcpUrl) => `${mcpUrl}/` },
      /resource is "http:\/\/127\.0\.0\.1:\d+\/mcp\/" but clients connect to "http:\/\/127\.0\.0\.1:\d+\/mcp" \(only a trailing slash differs.*MCP SDK clients refuse/,
      [],
    ],
    [
      'a resource on another host',
      'resource-match',
      { resource: (mcpUrl) => mcpUrl.replace('127.0.0.1', 'localhost') },
      /\(origin http:\/\/localhost:\d+ instead of http:\/\/127\.0\.0\.1:\d+\).*set resource to exactly/,
      [],
    ],
    [
      'a resource at the origin (accepted by the MCP SDK, not by VS Code)',
      'resource-match',
      { resource: (mcpUrl) => new URL('/', mcpUrl).href },
      /the MCP SDK accepts it \(same origin, path prefix\) but VS Code requires the exact URL/,
      [],
    ],
    [
      'AS metadata whose issuer differs',
      'authorization-server-metadata',
      { issuerMismatch: true },
      /has issuer "http:\/\/127\.0\.0\.1:\d+\/another-issuer", not the authorization_servers entry.*RFC 8414 §3\.3/,
      ['pkce', 'registration', 'jwks'],
    ],
    [
      'no S256',
      'pkce',
      { pkceMethods: ['plain'] },
      /code_challenge_methods_supported is \["plain"\]; advertise \["S256"\]/,
      [],
    ],
    ['no PKCE methods at all', 'pkce', { pkceMethods: null }, /code_challenge_methods_supported is missing/, []],
    [
      'no registration endpoint',
      'registration',
      { noRegistrationEndpoint: true },
      /no registration_endpoint and no client_id_metadata_document_supported: true.*RFC 7591/,
      [],
    ],
    [
      'an empty JWKS',
      'jwks',
      { emptyJwks: true },
      /the JWK Set at http:\/\/127\.0\.0\.1:\d+\/as\/jwks has no keys/,
      [],
    ],
    [
      'a preflight without authorization in Allow-Headers',
      'cors',
      { preflightAllowHeaders: 'Content-Type, Mcp-Protocol-Version' },
      /Access-Control-Allow-Headers \(content-type, mcp-protocol-version\) does not list Authorization/,
      [],
    ],
    [
      'a preflight allowing only * (which does not cover Authorization)',
      'cors',
      { preflightAllowHeaders: '*' },
      /\(\*\) does not list Authorization; list it explicitly: \* does not cover Authorization/,
      [],
    ],
    [
      'WWW-Authenticate not exposed',
      'cors',
      { hideWwwAuthenticate: true },
      /the 401's Access-Control-Expose-Headers \(mcp-session-id\) does not include WWW-Authenticate/,
      [],
    ],
    [
      'offline_access in scopes_supported',
      'scopes',
      { scopesSupported: ['todo:read', 'offline_access'] },
      /scopes_supported contains offline_access; remove it/,
      [],
    ],
    ['no scopes_supported', 'scopes', { scopesSupported: [] }, /scopes_supported is \[\]; list the scopes/, []],
  ];

  it.each(defects)('%s: only %s fails (and what depends on it)', async (_name, id, options, message, dependents) => {
    const server = await start(options);
    const report = await runDoctor(server.mcpUrl, { token: server.mintToken() });
    expect(report.checks.map((check) => check.id)).toEqual(ALL_IDS);
    expect(failingIds(report)).toEqual(
      ALL_IDS.filter((each) => each === id || dependents.includes(each as DoctorCheckId)),
    );
    const checks = byId(report);
    expect(checks[id].message).toMatch(message);
    for (const dependent of dependents) {
      expect(checks[dependent].message).toBe(
        'not checked: no usable authorization server metadata; fix authorization-server-metadata first',
      );
    }
  });

  it('a token issued for another resource fails token-audience, and the server (correctly) refuses it in tools-list', async () => {
    const server = await start();
    const report = await runDoctor(server.mcpUrl, { token: server.mintToken({ aud: 'https://other.example/mcp' }) });
    expect(failingIds(report)).toEqual(['token-audience', 'tools-list']);
    const checks = byId(report);
    expect(checks['token-audience'].message).toBe(
      `the token has aud "https://other.example/mcp", not the resource "${server.mcpUrl}", so this server must reject it; request the token with resource=${server.mcpUrl} (RFC 8707) so the authorization server issues it for this server`,
    );
    expect(checks['tools-list'].message).toMatch(
      /^initialize with the token answered 401 error="invalid_token" error_description="The token was issued for another audience\."/,
    );
  });

  it('an opaque token passes token-audience with a note, and tools-list reports the refusal', async () => {
    const server = await start();
    const report = await runDoctor(server.mcpUrl, { token: 'opaque-token-value-0123456789' });
    const checks = byId(report);
    expect(checks['token-audience']).toEqual({
      ok: true,
      message: expect.stringContaining(
        'the token is not a JWT (an opaque token?), so its audience cannot be checked here',
      ),
    });
    expect(checks['tools-list'].ok).toBe(false);
  });

  it('never shows the token, even when the server echoes it in its error description', async () => {
    const server = await start({ echoTokenInErrors: true });
    const token = server.mintToken({ aud: 'https://other.example/mcp' });
    const report = await runDoctor(server.mcpUrl, { token });
    const text = JSON.stringify(report);
    expect(byId(report)['tools-list'].message).toContain('You sent [token]');
    expect(text).not.toContain(token);
    for (const part of token.split('.')) expect(text).not.toContain(part);
  });

  it('a dependent check names the check to fix when no metadata can be read at all', async () => {
    const server = await start({ metadataOnlyAtRoot: true, metadataOnlyAtPath: true });
    const report = await runDoctor(server.mcpUrl, { token: server.mintToken() });
    const checks = byId(report);
    expect(failingIds(report)).toEqual([
      'prm-path',
      'prm-root',
      'resource-match',
      'authorization-server-metadata',
      'pkce',
      'registration',
      'jwks',
      'scopes',
      'token-audience',
    ]);
    expect(checks['resource-match'].message).toBe(
      'not checked: no protected resource metadata could be read; fix prm-path (or prm-root) first',
    );
    expect(checks.pkce.message).toMatch(/fix authorization-server-metadata first/);
  });

  it('an unreachable server: every check fails, saying the connection was refused at the URL', async () => {
    const port = await freePort();
    const mcpUrl = `http://127.0.0.1:${port}/mcp`;
    const report = await runDoctor(mcpUrl, { token: 'abc.def.ghi' });
    expect(report.checks.map((check) => check.id)).toEqual(ALL_IDS);
    expect(report.checks.every((check) => !check.ok)).toBe(true);
    const refused = `connection refused at ${mcpUrl}: is the server running and listening on that host and port?`;
    expect(report.checks[0].message).toBe(`could not reach the MCP endpoint: ${refused}`);
    for (const check of report.checks.slice(1)) {
      expect(check.message).toBe(`not checked: the MCP server could not be reached; ${refused}`);
    }
  });

  it('a server that never answers: the timeout applies, and the message says so', async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const port = (hanging.address() as { port: number }).port;
    try {
      const started = Date.now();
      const report = await runDoctor(`http://127.0.0.1:${port}/mcp`, { timeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(report.checks[0]).toEqual({
        id: 'challenge',
        ok: false,
        message: `could not reach the MCP endpoint: no answer from http://127.0.0.1:${port}/mcp within 300 ms (is the server up? pass --timeout <ms> to wait longer)`,
      });
      expect(report.checks.every((check) => !check.ok)).toBe(true);
    } finally {
      hanging.close();
    }
  });

  it('a URL that is not the MCP endpoint: the challenge check says so', async () => {
    const server = await start();
    const report = await runDoctor(`${server.baseUrl}/not-mcp`);
    expect(report.checks[0]).toEqual({
      id: 'challenge',
      ok: false,
      message: `POST ${server.baseUrl}/not-mcp without a token answered 404 (is this the MCP endpoint URL?); it must answer 401 with WWW-Authenticate: Bearer resource_metadata="..." (RFC 6750 §3, RFC 9728 §5.1)`,
    });
  });

  it('refuses a URL that is not http(s)', async () => {
    await expect(runDoctor('ftp://example.com/mcp')).rejects.toThrow(/absolute http\(s\) URL/);
  });
});
