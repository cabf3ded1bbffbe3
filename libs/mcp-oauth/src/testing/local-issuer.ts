import { constants, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Signing algorithms the local issuer can mint with. */
export type LocalIssuerAlgorithm = 'RS256' | 'PS256' | 'ES256';

/** Options of {@link LocalIssuer.start}. */
export interface LocalIssuerOptions {
  /** Algorithm of the signing key. @default 'RS256' */
  algorithm?: LocalIssuerAlgorithm;
  /**
   * Behave like a Scalekit environment for this resource id: JWKS at `/keys`, authorization-server metadata of
   * `/resources/{resourceId}`, default `iss` `{url}/resources/{resourceId}`.
   */
  scalekitResourceId?: string;
  /** Port to listen on (127.0.0.1). @default 0 (chosen by the OS) */
  port?: number;
  /**
   * Publish each key's `alg` in the JWKS. `false` publishes keys without `alg`, as some authorization servers do
   * (RFC 7517 §4.4 makes it optional): then only the verifier's allow-list decides which algorithms a key may
   * verify. @default true
   */
  publishAlgorithm?: boolean;
}

/** Claims and header of a token minted by {@link LocalIssuer.mintToken}; every one can be overridden. */
export interface MintTokenOptions {
  /** `sub`. @default 'user-1' */
  subject?: string;
  /** Scopes, written as the `scopes` array (Scalekit's form) unless `scopeClaim` says otherwise. */
  scopes?: string[];
  /** Which claim carries `scopes`: `'scopes'` (array), `'scope'` (space-delimited), `'scp'` (array). @default 'scopes' */
  scopeClaim?: 'scopes' | 'scope' | 'scp';
  /** `aud`. Required unless given in `claims`. */
  audience?: string | string[];
  /** `iss`. @default the issuer's default issuer */
  issuer?: string;
  /** Seconds from now until `exp` (negative for an expired token). @default 300 */
  expiresIn?: number;
  /** Seconds from now of `nbf`. @default 0 */
  notBefore?: number;
  /** Seconds from now of `iat`. @default 0 */
  issuedAt?: number;
  /** `client_id`. @default 'test-client' */
  clientId?: string;
  /** Extra or replacement claims; a claim set to `undefined` is removed. */
  claims?: Record<string, unknown>;
  /** Extra or replacement JOSE header parameters (`kid`, `typ`, `jku`, `crit`...); `undefined` removes one. */
  header?: Record<string, unknown>;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/**
 * A local authorization server stand-in for tests, on 127.0.0.1: it publishes a JWKS over real HTTP (and, in
 * Scalekit mode, a Scalekit-like environment), mints signed JWT access tokens with any claim overridable, rotates
 * keys, and can be taken offline and back to exercise outages. Keys are generated at start and never written down.
 *
 * @example
 * const issuer = await LocalIssuer.start({ scalekitResourceId: 'res_test' });
 * const token = issuer.mintToken({ audience: 'http://127.0.0.1:3000/mcp', scopes: ['todo:read'] });
 * await issuer.stop();
 */
export class LocalIssuer {
  private keys: SigningKey[] = [];
  private server: Server | undefined;
  private port = 0;
  private status: 'online' | 'failing' = 'online';
  private requestCount = 0;

  private constructor(private readonly options: LocalIssuerOptions) {}

  /** Starts an issuer with one fresh signing key. */
  static async start(options: LocalIssuerOptions = {}): Promise<LocalIssuer> {
    const issuer = new LocalIssuer(options);
    issuer.keys = [issuer.generateKey()];
    issuer.port = options.port ?? 0;
    await issuer.goOnline();
    return issuer;
  }

  /** Base URL, e.g. `http://127.0.0.1:41234` (the Scalekit environment URL in Scalekit mode). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The `iss` minted by default: `{url}/resources/{id}` in Scalekit mode, else `url`. */
  get issuer(): string {
    return this.options.scalekitResourceId ? `${this.url}/resources/${this.options.scalekitResourceId}` : this.url;
  }

  /** Where the JWKS is served. */
  get jwksUri(): string {
    return `${this.url}/keys`;
  }

  /** How many times the JWKS was requested. */
  get jwksRequests(): number {
    return this.requestCount;
  }

  /** The `kid` of the current signing key. */
  get currentKid(): string {
    return this.keys[0].kid;
  }

  /** Mints a signed JWT access token. */
  mintToken(options: MintTokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const scopeClaim = options.scopeClaim ?? 'scopes';
    const scopes = options.scopes ?? [];
    const claims = withoutUndefined({
      iss: options.issuer ?? this.issuer,
      sub: options.subject ?? 'user-1',
      aud: options.audience,
      client_id: options.clientId ?? 'test-client',
      jti: randomUUID(),
      iat: now + (options.issuedAt ?? 0),
      nbf: now + (options.notBefore ?? 0),
      exp: now + (options.expiresIn ?? 300),
      ...(options.scopes ? { [scopeClaim]: scopeClaim === 'scope' ? scopes.join(' ') : scopes } : {}),
      ...options.claims,
    });
    const header = withoutUndefined({ alg: this.algorithm, typ: 'JWT', kid: this.currentKid, ...options.header });
    return this.sign(header, claims);
  }

  /**
   * Signs any header and payload with the current key (for hand-crafted hostile tokens). An RSA key signs with the
   * padding the header's `alg` names (`PS256` -> PSS, else PKCS#1 v1.5), so one key can sign for another algorithm.
   */
  sign(header: Record<string, unknown>, payload: Record<string, unknown> | string): string {
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(typeof payload === 'string' ? payload : JSON.stringify(payload))}`;
    const key = this.keys[0].privateKey;
    const signature =
      this.algorithm === 'ES256'
        ? sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' })
        : header.alg === 'PS256'
          ? sign('sha256', Buffer.from(signingInput), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
          : sign('sha256', Buffer.from(signingInput), key);
    return `${signingInput}.${base64url(signature)}`;
  }

  /** The public JWK Set as served. */
  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: this.keys.map((key) => key.publicJwk) };
  }

  /**
   * Publishes a new signing key and signs with it from now on. With `keepPrevious` (default) the old key stays
   * published (the usual overlap); without, it is removed at once.
   */
  rotateKeys(options: { keepPrevious?: boolean } = {}): string {
    const next = this.generateKey();
    this.keys = options.keepPrevious === false ? [next] : [next, ...this.keys];
    return next.kid;
  }

  /** Makes the JWKS endpoint answer 503 (`'failing'`) or serve normally (`'online'`). */
  setStatus(status: 'online' | 'failing'): void {
    this.status = status;
  }

  /** Stops listening: connections are refused until {@link goOnline}. */
  async goOffline(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async goOnline(): Promise<void> {
    if (this.server) return;
    const server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops the issuer. */
  stop(): Promise<void> {
    return this.goOffline();
  }

  private get algorithm(): LocalIssuerAlgorithm {
    return this.options.algorithm ?? 'RS256';
  }

  private generateKey(): SigningKey {
    const { privateKey, publicKey } =
      this.algorithm === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomUUID();
    const alg = this.options.publishAlgorithm === false ? undefined : this.algorithm;
    const publicJwk = withoutUndefined({ ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' });
    return { kid, privateKey, publicJwk };
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    const resourceId = this.options.scalekitResourceId;
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (path === '/keys' || path === '/.well-known/jwks.json') {
      this.requestCount += 1;
      if (this.status === 'failing') return json(503, { error: 'temporarily_unavailable' });
      return json(200, this.jwks());
    }
    const metadataPaths = resourceId
      ? [
          `/resources/${resourceId}/.well-known/oauth-authorization-server`,
          `/.well-known/oauth-authorization-server/resources/${resourceId}`,
        ]
      : ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'];
    if (metadataPaths.includes(path)) {
      const base = this.issuer;
      return json(200, {
        issuer: base,
        jwks_uri: this.jwksUri,
        authorization_endpoint: `${base}/oauth/authorize`,
        token_endpoint: `${base}/oauth/token`,
        registration_endpoint: resourceId
          ? `${this.url}/api/v1/resources/${resourceId}/clients:register`
          : `${base}/register`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      });
    }
    json(404, { error: 'not_found' });
  }
}
