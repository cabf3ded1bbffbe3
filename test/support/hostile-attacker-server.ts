import type { KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attackerKeyPair, signJwt } from './hostile-tokens.js';

/**
 * An attacker's key server on 127.0.0.1: it holds a signing key only it knows, serves that key's JWK Set at
 * `/jwks.json` (for `jku`) and something certificate-shaped at `/cert.pem` (for `x5u`), and counts every request it
 * receives. A protected resource that follows `jku` / `x5u` from a token header would show up as a hit.
 */
export class AttackerKeyServer {
  readonly kid = 'attacker-kid';
  private server: Server | undefined;
  private readonly key = attackerKeyPair('rsa', this.kid);
  private port = 0;
  /** Every request received, as `METHOD path`. */
  readonly requests: string[] = [];

  static async start(): Promise<AttackerKeyServer> {
    const attacker = new AttackerKeyServer();
    const server = createServer((request, response) => attacker.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    attacker.server = server;
    attacker.port = (server.address() as AddressInfo).port;
    return attacker;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get jwksUrl(): string {
    return `${this.url}/jwks.json`;
  }

  get certUrl(): string {
    return `${this.url}/cert.pem`;
  }

  get hits(): number {
    return this.requests.length;
  }

  get privateKey(): KeyObject {
    return this.key.privateKey;
  }

  get publicJwk(): Record<string, unknown> {
    return this.key.publicJwk;
  }

  /** RS256-signs a token with the attacker's key (kid defaults to the attacker's). */
  sign(header: Record<string, unknown>, payload: Record<string, unknown>): string {
    return signJwt(this.key.privateKey, { alg: 'RS256', typ: 'JWT', kid: this.kid, ...header }, payload);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    this.requests.push(`${request.method} ${request.url}`);
    if (request.url?.startsWith('/jwks.json')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [this.key.publicJwk] }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/x-pem-file' });
    response.end(this.key.publicKey.export({ type: 'spki', format: 'pem' }));
  }
}
