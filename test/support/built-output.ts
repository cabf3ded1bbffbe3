import { existsSync } from 'node:fs';

/**
 * A file of the build, checked to exist: suites that run built code (`npm test` runs `npm run build` before the e2e
 * suites) fail at once saying what to do, instead of with a child process's "Cannot find module".
 */
export function builtFile(path: string): string {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run npm run build first (npm test builds before the e2e suites).`);
  }
  return path;
}
