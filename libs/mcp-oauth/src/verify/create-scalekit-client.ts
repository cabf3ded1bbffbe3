import type { Scalekit } from '@scalekit-sdk/node';
import type { ResolvedMcpOAuthOptions } from '../config/mcp-oauth.options.js';

/**
 * Creates the `Scalekit` client of `@scalekit-sdk/node` from the options: when API credentials are given (to call
 * Scalekit's APIs) or the `'scalekit-sdk'` verifier needs it; otherwise `null`. The SDK is imported lazily (loading it
 * costs about 250 ms of start-up); construction makes no network call, so placeholder credentials do not stop the
 * app from starting.
 */
export async function createScalekitClient(options: ResolvedMcpOAuthOptions): Promise<Scalekit | null> {
  const credentials = Boolean(options.scalekit?.clientId && options.scalekit.clientSecret);
  if (!options.scalekit || (!credentials && options.verifier !== 'scalekit-sdk')) return null;
  const { Scalekit: ScalekitClient } = await import('@scalekit-sdk/node');
  const { environmentUrl, clientId, clientSecret } = options.scalekit;
  return new ScalekitClient(environmentUrl, clientId ?? '', clientSecret ?? '');
}
