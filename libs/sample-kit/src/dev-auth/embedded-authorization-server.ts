import { Logger } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackHost } from 'nestjs-mcp-oauth';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

/** Where the embedded authorization server lives and what it protects. */
export interface EmbeddedAuthorizationServerOptions {
  /** Issuer URL, e.g. `http://localhost:3000/oauth` (the `authorization_servers` entry). */
  issuer: string;
  /** The MCP resource identifier: the `aud` of every access token. */
  resource: string;
  /** Scopes of the resource, e.g. `['todo:read', 'todo:write']`. */
  scopes: string[];
  /** Access token lifetime in seconds. @default 600 */
  accessTokenTtlSeconds?: number;
}

/**
 * CORS for loopback origins on the authorization server's endpoints: preflights answered here (oidc-provider has no
 * preflight for registration), `Access-Control-Allow-Origin` echoed for loopback pages. Development only.
 */
function allowLoopbackCors(req: Request, res: Response, next: NextFunction): void {
  const origin = req.headers.origin;
  if (origin === undefined || !isLoopbackOrigin(origin)) return next();
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  if (req.method !== 'OPTIONS') return next();
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept, MCP-Protocol-Version, DPoP');
  res.setHeader('Access-Control-Max-Age', '600');
  res.status(204).end();
}

/** A redirect URI on a loopback host (RFC 8252 §7.3), or a private-use scheme of a native app (RFC 8252 §7.1). */
function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    if (url.protocol === 'http:' || url.protocol === 'https:') return isLoopbackOrigin(url.origin);
    // A reverse-domain scheme such as com.example.app: (one character class, then a dot check: linear).
    const scheme = url.protocol.slice(0, -1);
    return /^[a-z][a-z0-9+.-]*$/.test(scheme) && scheme.indexOf('.', 1) > 0 && !scheme.endsWith('.');
  } catch {
    return false;
  }
}

/** The only scopes oidc-provider itself knows (its `scopes` setting); the resource's scopes are kept apart. */
const OIDC_SCOPES = ['openid', 'offline_access'];

/** The user when the authorization request carries no `login_hint`. */
export const DEV_USER = 'dev-user';
const LOGIN_HINT = /^[A-Za-z0-9._@-]{1,64}$/;

function isLoopbackOrigin(origin: string): boolean {
  try {
    const { hostname, protocol } = new URL(origin);
    return (protocol === 'http:' || protocol === 'https:') && isLoopbackHost(hostname);
  } catch {
    return false;
  }
}

/**
 * A development-only OAuth 2.1 authorization server built on oidc-provider (no hand-written OAuth endpoints):
 * RFC 8414 metadata, RFC 7591 dynamic client registration (public clients), authorization code with PKCE S256,
 * RFC 8707 resource indicators issuing RFC 9068 JWT access tokens whose `aud` is the MCP resource, refresh tokens
 * for clients registered with the `refresh_token` grant, short token lifetimes. The authorize step logs in a fixed
 * dev user (`login_hint` picks another) and consents to the requested scopes without a form, so browsers and headless
 * clients get the code at once. Keys are generated at start and live in memory only.
 */
export class EmbeddedAuthorizationServer {
  readonly provider: Provider;
  readonly mountPath: string;

  constructor(private readonly options: EmbeddedAuthorizationServerOptions) {
    this.mountPath = new URL(options.issuer).pathname.replace(/\/$/, '');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
    const resourceScope = options.scopes.join(' ');
    const configuration: Configuration = {
      jwks: { keys: [signingKey] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      routes: { jwks: '/jwks', registration: '/register', authorization: '/authorize', token: '/token' },
      // Only OIDC scopes here: resource scopes live in getResourceServerInfo, so clients are never locked to the
      // scope they registered with and step-up can ask for more.
      scopes: OIDC_SCOPES,
      responseTypes: ['code'],
      clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
      pkce: { required: () => true },
      clientBasedCORS: (_ctx, origin) => isLoopbackOrigin(origin),
      issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
      ttl: {
        AccessToken: options.accessTokenTtlSeconds ?? 600,
        AuthorizationCode: 60,
        Interaction: 600,
        Session: 3600,
        Grant: 3600,
        RefreshToken: 86_400,
      },
      features: {
        devInteractions: { enabled: false },
        registration: { enabled: true },
        revocation: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: async () => options.resource,
          useGrantedResource: async () => true,
          getResourceServerInfo: async (_ctx, resourceIndicator) => {
            if (resourceIndicator !== options.resource) throw new errors.InvalidTarget();
            return {
              scope: resourceScope,
              audience: options.resource,
              accessTokenTTL: options.accessTokenTtlSeconds ?? 600,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256' } },
            };
          },
        },
      },
      interactions: { url: (_ctx, interaction) => `${this.mountPath}/interaction/${interaction.uid}` },
      findAccount: async (_ctx, accountId) => ({ accountId, claims: async () => ({ sub: accountId }) }),
    };
    this.provider = new Provider(options.issuer, configuration);
    // RFC 8414 `scopes_supported` lists the resource's scopes too. oidc-provider builds it from `scopes` above, where
    // they must not go (they would be OIDC scopes there: consent would keep asking for them, and clients would be
    // locked to the scope they registered, breaking step-up), and its `discovery` option only adds missing fields:
    // so the document is completed after the provider wrote it, for every discovery URL it serves.
    const advertisedScopes = [...new Set([...OIDC_SCOPES, ...options.scopes])];
    this.provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => {
      await next();
      if (ctx.oidc?.route === 'discovery' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
        (ctx.body as { scopes_supported?: string[] }).scopes_supported = advertisedScopes;
      }
    });
    // MCP clients may omit `scope` (no challenge scope, no scopes_supported): grant the resource's scopes then.
    this.provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => {
      if (ctx.method === 'GET' && ctx.path === '/authorize' && !ctx.query.scope) {
        ctx.query = { ...ctx.query, scope: resourceScope };
      }
      await next();
    });
  }

  /** The express handlers to mount at the origin root: metadata alias, DCR scope stripping, dev login, provider. */
  router(): express.Router {
    const router = express.Router();
    const callback = this.provider.callback() as (req: IncomingMessage, res: ServerResponse) => void;
    const parseJson = express.json();

    // Browser-based clients (MCP Inspector's web UI) call these endpoints cross-origin from loopback pages.
    const metadataPaths = [
      `/.well-known/oauth-authorization-server${this.mountPath}`,
      `/.well-known/openid-configuration${this.mountPath}`,
    ];
    router.use([...metadataPaths, this.mountPath], allowLoopbackCors);
    // RFC 8414 §3 (and OIDC Discovery's path-appended form): metadata of an issuer with a path.
    router.get(metadataPaths, (req: Request, res: Response) => {
      // Served by the provider as if mounted at the issuer path (it derives its mount from originalUrl).
      req.originalUrl = `${this.mountPath}/.well-known/openid-configuration`;
      req.url = '/.well-known/openid-configuration';
      callback(req, res);
    });
    // Dynamic registration: loopback redirect URIs only (a development server that logs anyone in must not hand
    // codes to other sites); the client's `scope` is dropped, scopes are granted per authorization request instead.
    router.post(`${this.mountPath}/register`, (req: Request, res: Response, next: NextFunction) => {
      parseJson(req, res, (error?: unknown) => {
        if (error) return next(error);
        const body = req.body as Record<string, unknown> | undefined;
        const redirectUris = Array.isArray(body?.redirect_uris) ? body.redirect_uris : [];
        if (!redirectUris.every((uri) => typeof uri === 'string' && isLoopbackRedirect(uri))) {
          res.status(400).json({
            error: 'invalid_redirect_uri',
            error_description:
              'The development authorization server accepts loopback redirect URIs only (http://127.0.0.1:<port>/..., http://localhost:<port>/...).',
          });
          return;
        }
        if (body && typeof body === 'object') delete body.scope;
        next();
      });
    });
    router.get(`${this.mountPath}/interaction/:uid`, (req: Request, res: Response, next: NextFunction) => {
      this.completeInteraction(req, res).catch(next);
    });
    router.use(this.mountPath, (req: Request, res: Response) => callback(req, res));
    return router;
  }

  /** Dev login and consent, no form: the requested resource scopes are granted to `login_hint` or the dev user. */
  private async completeInteraction(req: Request, res: Response): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    const { params, prompt } = details;
    const hint = typeof params.login_hint === 'string' ? params.login_hint : undefined;
    if (hint !== undefined && !LOGIN_HINT.test(hint)) {
      res
        .status(400)
        .json({ error: 'invalid_request', error_description: 'login_hint must be 1-64 of A-Z a-z 0-9 . _ @ -' });
      return;
    }
    const accountId = hint ?? details.session?.accountId ?? DEV_USER;
    const grant = details.grantId
      ? ((await this.provider.Grant.find(details.grantId)) as InstanceType<Provider['Grant']>)
      : new this.provider.Grant({ accountId, clientId: String(params.client_id) });
    const missingOidcScope = prompt.details.missingOIDCScope as string[] | undefined;
    if (missingOidcScope) grant.addOIDCScope(missingOidcScope.join(' '));
    const requested = String(params.scope ?? '')
      .split(' ')
      .filter((scope) => this.options.scopes.includes(scope));
    const resource = typeof params.resource === 'string' ? params.resource : this.options.resource;
    if (resource === this.options.resource && requested.length > 0)
      grant.addResourceScope(resource, requested.join(' '));
    const missingResourceScopes = prompt.details.missingResourceScopes as Record<string, string[]> | undefined;
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    Logger.log(
      `Dev login: ${accountId} granted "${requested.join(' ')}" to client ${String(params.client_id)}`,
      'EmbeddedAuthServer',
    );
    await this.provider.interactionFinished(
      req,
      res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }
}
