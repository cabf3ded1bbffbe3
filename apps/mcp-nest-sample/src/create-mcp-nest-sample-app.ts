import { type CreateSampleAppOptions, createSampleNestApp, type SampleApp } from '@nestjs-mcp-oauth/sample-kit';
import { createMcpStrategy } from './mcp/mcp-strategy.js';

/**
 * Creates the mcp-nest sample app (not yet listening) like the sample (`MCP_HTTP_PLATFORM`, `TRUST_PROXY`, the
 * embedded development authorization server at `/oauth` without Scalekit settings), then connects mcp-nest's strategy
 * as a Nest microservice and starts it: the order mcp-nest documents (`startAllMicroservices()` before `listen()`).
 * The module is imported here, after the environment is in place, because ConfigModule validates the environment
 * when the module file is evaluated.
 */
export async function createMcpNestSampleApp(options: CreateSampleAppOptions = {}): Promise<SampleApp> {
  const sample = await createSampleNestApp(
    async () => (await import('./mcp-nest-sample.module.js')).McpNestSampleModule,
    options,
  );
  try {
    sample.app.connectMicroservice({ strategy: createMcpStrategy(options.logger) });
    await sample.app.startAllMicroservices();
  } catch (error) {
    await sample.app.close();
    throw error;
  }
  return sample;
}
