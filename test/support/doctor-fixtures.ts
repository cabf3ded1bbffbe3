import { createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How a doctor fixture deviates from a correct OAuth-protected MCP server. Every field defaults to correct; each
 * defect is meant to make exactly one doctor check fail.
 */
export interface DoctorFixtureOptions {
  /** `challenge`: the anonymous 401 carries `error="invalid_token"` (as the MCP SDK's requireBearerAuth does). */
  anonymousChallengeError?: boolean;
  /** `prm-path`: metadata only at the root URL (the challenge points there). */
  metadataOnlyAtRoot?: boolean;
  /** `prm-root`: metadata only at the path-inserted URL. */
  metadataOnlyAtPath?: boolean;
  /** The challenge's `resource_metadata` points to this path (served too, unless `customMetadataMissing`). */
  customMetadataPath?: string;
  /** `prm-path`: the challenge's custom metadata URL answers 404. */
  customMetadataMissing?: boolean;
  /** `resource-match`: the `resource` the metadata advertises, from the MCP URL. */
  resource?: (mcpUrl: string) => string;
  /** `authorization-server-metadata`: the AS metadata names another issuer. */
  issuerMismatch?: boolean;
  /** `pkce`: `code_challenge_methods_supported` (default `['S256']`; `null` leaves it out). */
  pkceMethods?: string[] | null;
  /** `registration`: no `registration_endpoint`. */
  noRegistrationEndpoint?: boolean;
  /** `jwks`: an empty JWK Set. */
  emptyJwks?: boolean;
  /** `cors`: the preflight's `Access-Control-Allow-Headers`. */
  preflightAllowHeaders?: string;
  /** `cors`: `WWW-Authenticate` missing from `Access-Control-Expose-Headers`. */
  hideWwwAuthenticate?: boolean;
  /** `scopes`: the metadata's `scopes_supported`. */
  scopesSupported?: string[];
  /** Where the AS metadata lives (all correct; clients fall back in this order). @default 'oauth' */
  authorizationServerMetadataAt?: 'oauth' | 'oidc-inserted' | 'oidc-appended';
  /** Path of the issuer on the fixture's origin (`''` = an issuer without path). @default '/as' */
  issuerPath?: string;
  /** Answer JSON-RPC requests as an SSE stream that stays open after the answer. */
  sse?: boolean;
  /** Assign an `Mcp-Session-Id` on initialize and require it afterwards. */
  sessions?: boolean;
  /** A hostile server: echoes the presented token in the `invalid_token` error description. */
  echoTokenInErrors?: boolean;
  /** A server that accepts connections and never answers. */
  hang?: boolean;
}

/** One request the fixture received. */
export interface FixtureRequest {
  method: string;
  path: string;
  authorization: boolean;
  sessionId?: string;
  rpcMethod?: string;
}

/** A running fixture on 127.0.0.1. */
export interface DoctorFixture {
  baseUrl: string;
  mcpUrl: string;
  issuer: string;
  /** The `resource` the metadata advertises (the MCP URL unless `options.resource` changes it). */
  resource: string;
  requests: FixtureRequest[];
  /** An RS256 JWT from the fixture's issuer; `aud` defaults to the advertised resource, as an AS issues it. */
  mintToken(claims?: Record<string, unknown>): string;
  close(): Promise<void>;
}

const SCOPES = ['todo:read', 'todo:write'];
const KID = 'doctor-fixture-key';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Verifies an RS256 JWT from the fixture's key: the claims, or why not. */
function verifyToken(
  token: string,
  publicKey: KeyObject,
  resource: string,
): { error: string } | { claims: Record<string, unknown> } {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return { error: 'The access token is malformed.' };
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${header}.${payload}`);
  if (!verifier.verify(publicKey, Buffer.from(signature, 'base64url'))) return { error: 'Bad signature.' };
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { aud?: unknown; exp?: number };
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(resource)) return { error: 'The token was issued for another audience.' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return { error: 'The token expired.' };
  return { claims };
}

/**
 * A small OAuth-protected MCP server and its authorization server's metadata on one loopback origin, correct
 * except for the defects in `options`: the yardstick for the doctor's checks.
 */
export async function startDoctorFixture(options: DoctorFixtureOptions = {}): Promise<DoctorFixture> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
  const requests: FixtureRequest[] = [];
  const sessions = new Set<string>();
  let sessionCounter = 0;
  const server: Server = createServer((request, response) => {
    if (options.hang) return; // never answers
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mcpUrl = `${baseUrl}/mcp`;
  const issuerPath = options.issuerPath ?? '/as';
  const issuer = issuerPath === '' ? `${baseUrl}/` : `${baseUrl}${issuerPath}`;
  const resource = options.resource ? options.resource(mcpUrl) : mcpUrl;
  const pathMetadataUrl = `${baseUrl}/.well-known/oauth-protected-resource/mcp`;
  const rootMetadataUrl = `${baseUrl}/.well-known/oauth-protected-resource`;
  const challengeMetadataUrl = options.customMetadataPath
    ? `${baseUrl}${options.customMetadataPath}`
    : options.metadataOnlyAtRoot
      ? rootMetadataUrl
      : pathMetadataUrl;

  const protectedResourceMetadata = {
    resource,
    authorization_servers: [issuer],
    scopes_supported: options.scopesSupported ?? SCOPES,
    bearer_methods_supported: ['header'],
  };
  const asMetadataPath = {
    oauth: `/.well-known/oauth-authorization-server${issuerPath}`,
    'oidc-inserted': `/.well-known/openid-configuration${issuerPath}`,
    'oidc-appended': `${issuerPath}/.well-known/openid-configuration`,
  }[options.authorizationServerMetadataAt ?? 'oauth'];
  const asBase = `${baseUrl}${issuerPath}`;
  const pkceMethods = options.pkceMethods === undefined ? ['S256'] : options.pkceMethods;
  const authorizationServerMetadata = {
    issuer: options.issuerMismatch ? `${baseUrl}/another-issuer` : issuer,
    authorization_endpoint: `${asBase}/authorize`,
    token_endpoint: `${asBase}/token`,
    ...(options.noRegistrationEndpoint ? {} : { registration_endpoint: `${asBase}/register` }),
    jwks_uri: `${asBase}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    ...(pkceMethods === null ? {} : { code_challenge_methods_supported: pkceMethods }),
  };

  function corsHeaders(request: IncomingMessage): Record<string, string> {
    const headers: Record<string, string> = {
      'access-control-expose-headers': options.hideWwwAuthenticate
        ? 'Mcp-Session-Id'
        : 'WWW-Authenticate, Mcp-Session-Id',
      vary: 'Origin',
    };
    if (request.headers.origin === baseUrl) headers['access-control-allow-origin'] = baseUrl;
    return headers;
  }

  function challenge(error?: { code: string; description: string }): string {
    const parts = error ? [`error="${error.code}"`, `error_description="${error.description}"`] : [];
    parts.push(`resource_metadata="${challengeMetadataUrl}"`, `scope="${SCOPES.join(' ')}"`);
    return `Bearer ${parts.join(', ')}`;
  }

  async function handleMcp(request: IncomingMessage, response: ServerResponse, record: FixtureRequest): Promise<void> {
    const cors = corsHeaders(request);
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== baseUrl) return sendJson(response, 403, { error: 'forbidden_origin' }, cors);
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers':
          options.preflightAllowHeaders ?? 'Authorization, Content-Type, Mcp-Protocol-Version, Mcp-Session-Id',
      });
      response.end();
      return;
    }
    const body = await readBody(request);
    const authorization = request.headers.authorization;
    if (!authorization?.startsWith('Bearer ')) {
      const error = options.anonymousChallengeError
        ? { code: 'invalid_token', description: 'Missing Authorization header' }
        : undefined;
      return sendJson(response, 401, { error: 'unauthorized' }, { ...cors, 'www-authenticate': challenge(error) });
    }
    const token = authorization.slice('Bearer '.length);
    const verified = verifyToken(token, publicKey, resource);
    if ('error' in verified) {
      const description = options.echoTokenInErrors ? `${verified.error} You sent ${token}` : verified.error;
      return sendJson(
        response,
        401,
        { error: 'invalid_token' },
        { ...cors, 'www-authenticate': challenge({ code: 'invalid_token', description }) },
      );
    }
    if (request.method === 'DELETE') {
      sessions.delete(String(request.headers['mcp-session-id']));
      response.writeHead(204, cors);
      response.end();
      return;
    }
    const message = JSON.parse(body) as { id?: number; method: string };
    record.rpcMethod = message.method;
    const sessionHeaders: Record<string, string> = {};
    if (options.sessions) {
      if (message.method === 'initialize') {
        const id = `session-${++sessionCounter}`;
        sessions.add(id);
        sessionHeaders['mcp-session-id'] = id;
      } else if (!sessions.has(String(request.headers['mcp-session-id']))) {
        return sendJson(response, 400, { error: 'missing or unknown Mcp-Session-Id' }, cors);
      }
    }
    if (message.id === undefined) {
      response.writeHead(202, { ...cors, ...sessionHeaders });
      response.end();
      return;
    }
    const result =
      message.method === 'initialize'
        ? {
            protocolVersion: '2025-11-25',
            capabilities: { tools: {} },
            serverInfo: { name: 'doctor-fixture', version: '1.0.0' },
          }
        : message.method === 'tools/list'
          ? { tools: [{ name: 'whoami', inputSchema: { type: 'object' } }] }
          : undefined;
    const answer = result
      ? { jsonrpc: '2.0', id: message.id, result }
      : { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } };
    if (options.sse) {
      // The stream stays open after the answer: a client must stop reading once it has it.
      response.writeHead(200, { ...cors, ...sessionHeaders, 'content-type': 'text/event-stream' });
      response.write(`event: message\ndata: ${JSON.stringify(answer)}\n\n`);
      return;
    }
    sendJson(response, 200, answer, { ...cors, ...sessionHeaders });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', baseUrl).pathname;
    const record: FixtureRequest = {
      method: request.method ?? 'GET',
      path,
      authorization: request.headers.authorization !== undefined,
      sessionId: request.headers['mcp-session-id'] as string | undefined,
    };
    requests.push(record);
    if (path === '/mcp') return handleMcp(request, response, record);
    const open = { 'access-control-allow-origin': '*' };
    if (path === pathMetadataUrl.slice(baseUrl.length) && !options.metadataOnlyAtRoot) {
      return sendJson(response, 200, protectedResourceMetadata, open);
    }
    if (path === rootMetadataUrl.slice(baseUrl.length) && !options.metadataOnlyAtPath) {
      return sendJson(response, 200, protectedResourceMetadata, open);
    }
    if (path === options.customMetadataPath && !options.customMetadataMissing) {
      return sendJson(response, 200, protectedResourceMetadata, open);
    }
    if (path === asMetadataPath) return sendJson(response, 200, authorizationServerMetadata, open);
    if (path === `${issuerPath}/jwks`) {
      return sendJson(response, 200, { keys: options.emptyJwks ? [] : [publicJwk] }, open);
    }
    sendJson(response, 404, { error: 'not_found' });
  }

  return {
    baseUrl,
    mcpUrl,
    issuer,
    resource,
    requests,
    mintToken(claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      const header = base64url({ alg: 'RS256', typ: 'at+jwt', kid: KID });
      const payload = base64url({
        iss: issuer,
        aud: resource,
        sub: 'doctor-user',
        scope: SCOPES.join(' '),
        iat: now,
        exp: now + 300,
        ...claims,
      });
      const signer = createSign('RSA-SHA256');
      signer.update(`${header}.${payload}`);
      return `${header}.${payload}.${signer.sign(privateKey).toString('base64url')}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
