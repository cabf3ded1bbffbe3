import { isLoopbackHost } from '../http/loopback.js';
import type { ResolvedMcpOAuthOptions } from './resolved-options.js';

/** Settings that work but are probably a mistake, each as a sentence for the boot log. */
export function configurationWarnings(options: ResolvedMcpOAuthOptions): string[] {
  const warnings: string[] = [];
  const { protocol, hostname } = new URL(options.resource);
  if (protocol === 'http:' && !isLoopbackHost(hostname)) {
    warnings.push(
      `resource "${options.resource}" uses http on a non-loopback host: MCP clients require HTTPS outside local development.`,
    );
  }
  return warnings;
}
