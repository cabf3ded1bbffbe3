import type { ScalekitOptions } from '../config/mcp-oauth.options.js';

/**
 * Creates the `Scalekit` client of `@scalekit-sdk/node` when API credentials are given (to call Scalekit's APIs) or
 * `needed` (the `'scalekit-sdk'` verifier); otherwise `null`. The SDK is imported lazily (loading it costs about
 * 250 ms of start-up); construction makes no network call, so placeholder credentials do not stop the app.
 */
export async function createScalekitClient(
  scalekit: ScalekitOptions | undefined,
  needed: boolean,
): Promise<object | null> {
  const credentials = Boolean(scalekit?.clientId && scalekit.clientSecret);
  if (!scalekit || (!credentials && !needed)) return null;
  const { Scalekit } = await import('@scalekit-sdk/node');
  return new Scalekit(scalekit.environmentUrl, scalekit.clientId ?? '', scalekit.clientSecret ?? '');
}
