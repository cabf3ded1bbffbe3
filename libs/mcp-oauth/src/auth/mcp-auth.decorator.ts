import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthInfo } from './auth-info.js';

/**
 * Injects the {@link AuthInfo} of the verified access token into a route handler parameter
 * (`undefined` on a {@link Public} route called without a token).
 *
 * @example
 * \@Post('mcp') handle(\@McpAuth() auth: AuthInfo) { ... }
 */
export const McpAuth = createParamDecorator((_data: unknown, context: ExecutionContext): AuthInfo | undefined => {
  return context.switchToHttp().getRequest<{ auth?: AuthInfo }>().auth;
});
