import type { SampleEnv } from './sample-env.js';

/** The sample's scopes; `todo:write` implies `todo:read`. */
export const SAMPLE_SCOPES = ['todo:read', 'todo:write'];

/** Where the embedded (development) authorization server lives, derived from the environment. */
export interface EmbeddedAuthSettings {
  /** Issuer = the `authorization_servers` entry: `<origin of MCP_SERVER_URL>/oauth`. */
  issuer: string;
  /** JWKS URL the guard fetches, on the address the app listens on. */
  jwksUri: string;
}

/**
 * `undefined` in Scalekit mode (`SCALEKIT_ENVIRONMENT_URL` set); otherwise the embedded authorization server's
 * settings. Keys are fetched from the bind address so `localhost` resolution never matters.
 */
export function embeddedAuthSettings(env: SampleEnv): EmbeddedAuthSettings | undefined {
  if (env.SCALEKIT_ENVIRONMENT_URL) return undefined;
  const issuer = `${new URL(env.MCP_SERVER_URL).origin}/oauth`;
  // HOST is a loopback address here (validateSampleEnv refuses anything else in this mode).
  const host = env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
  return { issuer, jwksUri: `http://${host}:${env.PORT}/oauth/jwks` };
}
