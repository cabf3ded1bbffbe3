import { type CanActivate, type ExecutionContext, Logger } from '@nestjs/common';
import type { AuthInfo } from '../auth/auth-info.js';
import { attachCaller } from '../http/authorized-request.js';
import type { McpOAuthRequest } from '../http/http-request.js';

/** The caller every request runs as when authentication is disabled for benchmarks. */
const BENCHMARK_CALLER: AuthInfo = Object.freeze({
  subject: 'benchmark-anonymous',
  principal: 'benchmark#benchmark-anonymous',
  clientId: undefined,
  scopes: Object.freeze(['*']),
  expiresAt: Number.MAX_SAFE_INTEGER,
  audience: Object.freeze([]),
  issuer: 'none',
  claims: Object.freeze({}),
});

/**
 * Registered instead of {@link McpOAuthGuard} with `dangerouslyDisableAuthForBenchmarks` (refused in production), so
 * the production guard carries no benchmark branch: every HTTP request runs as an anonymous caller with every scope.
 */
export class BenchmarkBypassGuard implements CanActivate {
  constructor() {
    new Logger('McpOAuth').warn(
      '!!! AUTHENTICATION IS DISABLED (dangerouslyDisableAuthForBenchmarks): every request runs as an anonymous caller with every scope. Benchmarking only; never deploy this. !!!',
    );
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return false;
    attachCaller(context.switchToHttp().getRequest<McpOAuthRequest>(), BENCHMARK_CALLER);
    return true;
  }
}
