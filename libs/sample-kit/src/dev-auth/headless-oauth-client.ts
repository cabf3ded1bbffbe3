import type {
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { randomBytes } from 'node:crypto';

/** Options of {@link HeadlessOAuthClient}. */
export interface HeadlessOAuthClientOptions {
  /** Sent as `login_hint`: the embedded authorization server logs this user in. */
  loginHint?: string;
  /** Redirect URI registered with the authorization server; nothing needs to listen on it. */
  redirectUrl?: string;
  /** Client name used in dynamic registration. */
  clientName?: string;
  /** `fetch` used to follow the authorization redirects (e.g. one that records requests). */
  fetch?: typeof fetch;
}

/**
 * An MCP SDK `OAuthClientProvider` that plays the browser itself: `redirectToAuthorization` follows the
 * authorization server's redirects (keeping cookies) until it reaches the redirect URI, checks `state`, and keeps
 * the callback parameters (`code`, `iss`) for `transport.finishAuth()` / `auth()`. Works with authorization servers
 * that complete the authorize step without a form, such as the sample's embedded development server.
 */
export class HeadlessOAuthClient implements OAuthClientProvider {
  /** The callback query of the last authorization (`code`, `state`, `iss`). */
  callbackParams: URLSearchParams | undefined;
  /** Every authorization URL this client was sent to, in order. */
  readonly authorizationUrls: URL[] = [];

  private information: StoredOAuthClientInformation | undefined;
  private storedTokens: StoredOAuthTokens | undefined;
  private verifier = '';
  private discovery: OAuthDiscoveryState | undefined;
  private expectedState = '';

  constructor(private readonly options: HeadlessOAuthClientOptions = {}) {}

  get redirectUrl(): string {
    return this.options.redirectUrl ?? 'http://127.0.0.1:65535/callback';
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.options.clientName ?? 'nestjs-mcp-oauth headless client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    this.expectedState = randomBytes(16).toString('base64url');
    return this.expectedState;
  }

  clientInformation(): StoredOAuthClientInformation | undefined {
    return this.information;
  }

  saveClientInformation(information: StoredOAuthClientInformation): void {
    this.information = information;
  }

  tokens(): StoredOAuthTokens | undefined {
    return this.storedTokens;
  }

  saveTokens(tokens: StoredOAuthTokens): void {
    this.storedTokens = tokens;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  /** Follows the authorization redirects like a browser and keeps the callback parameters. */
  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const url = new URL(authorizationUrl);
    if (this.options.loginHint) url.searchParams.set('login_hint', this.options.loginHint);
    this.authorizationUrls.push(url);
    const fetchImpl = this.options.fetch ?? fetch;
    const cookies = new Map<string, string>();
    let next = url;
    for (let hop = 0; hop < 10; hop += 1) {
      const response = await fetchImpl(next, {
        redirect: 'manual',
        headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      });
      for (const setCookie of response.headers.getSetCookie()) {
        const [pair] = setCookie.split(';');
        const separator = pair.indexOf('=');
        cookies.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        throw new Error(
          `Authorization did not redirect back (HTTP ${response.status}): ${(await response.text()).slice(0, 300)}`,
        );
      }
      next = new URL(location, next);
      if (next.href.startsWith(this.redirectUrl)) {
        const params = next.searchParams;
        if (params.get('error'))
          throw new Error(`Authorization failed: ${params.get('error')} ${params.get('error_description') ?? ''}`);
        if (params.get('state') !== this.expectedState)
          throw new Error('Authorization response state does not match the request.');
        this.callbackParams = params;
        return;
      }
    }
    throw new Error('Authorization took more than 10 redirects.');
  }
}
