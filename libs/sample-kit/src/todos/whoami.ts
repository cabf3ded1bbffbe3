import type { AuthInfo } from 'nestjs-mcp-oauth';
import type { z } from 'zod';
import type { whoamiSchema } from './todo-tool-contract.js';

/** The result of `whoami`. */
export type WhoAmI = z.infer<typeof whoamiSchema>;

/** `whoami` for a verified caller: its subject, client id (`null` when the token names none) and scopes as granted. */
export function whoamiOf(caller: AuthInfo): WhoAmI {
  return { sub: caller.subject, clientId: caller.clientId ?? null, scopes: [...caller.scopes] };
}
