import type { Scalekit } from '@scalekit-sdk/node';
import type { ResolvedMcpOAuthOptions } from '../config/mcp-oauth.options.js';

/**
 * Creates the `Scalekit` client of `@scalekit-sdk/node` from the options, or `null` without Scalekit settings.
 * The SDK is imported lazily (only Scalekit users pay for loading it); construction makes no network call, so
 * placeholder credentials do not stop the app from starting.
 */
export async function createScalekitClient(options: ResolvedMcpOAuthOptions): Promise<Scalekit | null> {
  if (!options.scalekit) return null;
  const { Scalekit: ScalekitClient } = await import('@scalekit-sdk/node');
  const { environmentUrl, clientId, clientSecret } = options.scalekit;
  return new ScalekitClient(environmentUrl, clientId ?? '', clientSecret ?? '');
}
