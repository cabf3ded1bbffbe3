import { type CreateSampleAppOptions, createSampleNestApp, type SampleApp } from '@nestjs-mcp-oauth/sample-kit';

export type { CreateSampleAppOptions, SampleApp };

/**
 * Creates the sample app (not yet listening): {@link SampleModule} on Express or Fastify (`MCP_HTTP_PLATFORM`), with
 * the embedded development authorization server at `/oauth` when no Scalekit settings are given. The module is
 * imported here, after the environment is in place, because ConfigModule validates the environment when the module
 * file is evaluated.
 */
export function createSampleApp(options: CreateSampleAppOptions = {}): Promise<SampleApp> {
  return createSampleNestApp(async () => (await import('./sample.module.js')).SampleModule, options);
}
