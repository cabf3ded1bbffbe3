import { expect } from '@jest/globals';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { HeadlessOAuthClient } from '@nestjs-mcp-oauth/sample-kit/oauth-client';

/** A wire log: `METHOD path -> status`, in order. */
export type WireLog = string[];

/** A fetch that records every request it makes. */
export function recordingFetch(log: WireLog): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    log.push(
      `${init?.method ?? (input instanceof Request ? input.method : 'GET')} ${url.pathname} -> ${response.status}`,
    );
    return response;
  };
}

/**
 * An MCP client application: the official SDK client with a headless OAuth provider. When a request needs
 * (re-)authorization, the SDK sends the user to the authorization server (the provider follows the redirects) and
 * throws `UnauthorizedError`; like any host's redirect handler, this hands the callback to `finishAuth` and retries.
 */
export class OAuthMcpApp {
  readonly oauth: HeadlessOAuthClient;
  transport: StreamableHTTPClientTransport;
  client: Client;
  private readonly fetchImpl: typeof fetch;

  /**
   * `log` records the requests; `accessToken` is a token the app starts with (as if authorized before: no flow
   * unless the server refuses it); `pinProtocolVersion` makes the client speak only that protocol revision.
   */
  constructor(
    private readonly mcpUrl: string,
    private readonly options: {
      loginHint?: string;
      log?: WireLog;
      accessToken?: string;
      pinProtocolVersion?: string;
    } = {},
  ) {
    this.fetchImpl = options.log ? recordingFetch(options.log) : fetch;
    this.oauth = new HeadlessOAuthClient({ loginHint: options.loginHint, fetch: this.fetchImpl });
    if (options.accessToken) this.oauth.saveTokens({ access_token: options.accessToken, token_type: 'Bearer' });
    this.transport = this.newTransport();
    this.client = this.newClient();
  }

  /** Runs an MCP operation, completing an authorization round trip when the server asks for one. */
  async withAuthorization<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof UnauthorizedError) || !this.oauth.callbackParams) throw error;
      await this.transport.finishAuth(this.oauth.callbackParams);
      return operation();
    }
  }

  /** Connects; a connection refused for lack of authorization is retried on a fresh transport once authorized. */
  async connect(): Promise<void> {
    try {
      await this.client.connect(this.transport);
    } catch (error) {
      if (!(error instanceof UnauthorizedError) || !this.oauth.callbackParams) throw error;
      await this.transport.finishAuth(this.oauth.callbackParams);
      this.transport = this.newTransport();
      this.client = this.newClient();
      await this.client.connect(this.transport);
    }
  }

  private newClient(): Client {
    const pin = this.options.pinProtocolVersion;
    return new Client(
      { name: 'oauth-e2e', version: '1.0.0' },
      pin ? { versionNegotiation: { mode: { pin } } } : undefined,
    );
  }

  private newTransport(): StreamableHTTPClientTransport {
    return new StreamableHTTPClientTransport(new URL(this.mcpUrl), { authProvider: this.oauth, fetch: this.fetchImpl });
  }

  /** Calls a tool; its JSON result (`structuredContent`, checked to be mirrored as the text content), or throws. */
  async callJson(name: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const result = await this.withAuthorization(() => this.client.callTool({ name, arguments: args }));
    if (result.isError) throw new Error(`Tool ${name} failed: ${JSON.stringify(result.content)}`);
    const text = (result.content as Array<{ type: string; text?: string }>).map((part) => part.text).join('');
    expect(JSON.parse(text)).toEqual(result.structuredContent);
    return result.structuredContent as Record<string, unknown>;
  }

  /** Scopes of the current access token. */
  grantedScopes(): string[] {
    const token = this.oauth.tokens()?.access_token;
    if (!token) return [];
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { scope?: string };
    return (claims.scope ?? '').split(' ').filter(Boolean).sort();
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
