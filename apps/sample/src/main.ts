import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { SampleEnv } from './config/sample-env.js';
import { createSampleApp } from './create-sample-app.js';

/** Boots the sample MCP server; a configuration error ends the process with its message and exit code 1. */
async function bootstrap(): Promise<void> {
  const app = await createSampleApp();
  const config = app.get<ConfigService<SampleEnv, true>>(ConfigService);
  const port = config.get('PORT', { infer: true });
  const host = config.get('HOST', { infer: true });
  await app.listen(port, host);
  const resource = config.get('MCP_SERVER_URL', { infer: true });
  new Logger('Sample').log(`MCP endpoint ${resource} (listening on http://${host}:${port})`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
