import { afterAll, describe, expect, it } from '@jest/globals';
import { CaptureLogger } from './support/capture-logger.js';
import { startSample } from './support/sample-app.js';

describe('sample app configuration errors stop it at once with a clear message', () => {
  afterAll(() => {
    delete process.env.NODE_ENV;
  });

  it('refuses the embedded (development) authorization server when NODE_ENV=production, naming the variables to set', async () => {
    for (const name of Object.keys(process.env)) if (name.startsWith('SCALEKIT_')) delete process.env[name];
    const logger = new CaptureLogger();
    const failure = await startSample({ NODE_ENV: 'production' }, { logger }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;
    expect(message).toContain('NODE_ENV=production');
    for (const variable of [
      'SCALEKIT_ENVIRONMENT_URL',
      'SCALEKIT_RESOURCE_ID',
      'SCALEKIT_CLIENT_ID',
      'SCALEKIT_CLIENT_SECRET',
      'MCP_SERVER_URL',
    ]) {
      expect(message).toContain(variable);
    }
    // Nest's ExceptionHandler logs the error before the app rethrows it: to the app's logger, captured here.
    const errors = logger.lines.filter((line) => line.startsWith('error '));
    expect(errors).toEqual([expect.stringContaining(message.split('\n')[0])]);
    expect(errors[0]).toContain('ExceptionHandler');
    expect(errors[0]).toContain('SCALEKIT_ENVIRONMENT_URL: is not set and NODE_ENV=production');
  });
});
