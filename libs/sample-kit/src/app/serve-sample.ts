import type { SampleApp } from './create-sample-nest-app.js';
import { sampleBanner } from './sample-banner.js';

/**
 * A sample server's `main`: creates the app, listens on `HOST`:`PORT` and prints the banner under `title`; a
 * configuration error ends the process with its message and exit code 1.
 */
export async function serveSample(title: string, create: () => Promise<SampleApp>): Promise<void> {
  try {
    const { app, env } = await create();
    await app.listen(env.PORT, env.HOST);
    process.stdout.write(sampleBanner(env, title));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
