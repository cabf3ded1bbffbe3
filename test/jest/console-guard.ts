import { afterAll, afterEach } from '@jest/globals';
import { format } from 'node:util';

/*
 * A passing test prints nothing. A console call that nobody captured (test/support/console-capture.ts records the
 * output a test expects, for the test to assert) fails the test during which it happened, or the test file when it
 * came from an afterAll hook; the failure shows the output and where it came from. Calls made after this file's own
 * afterAll (from a top-level afterAll of the test file, which runs later) are printed as usual, never swallowed.
 */
const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const originals = new Map(METHODS.map((method) => [method, console[method]]));
let unexpected: string[] = [];

for (const method of METHODS) {
  console[method] = (...args: unknown[]) => {
    const caller = (new Error().stack ?? '')
      .split('\n')
      .slice(2)
      .filter((line) => !line.includes('node_modules/jest') && !line.includes('node:internal'))
      .slice(0, 4)
      .join('\n');
    unexpected.push(`console.${method}: ${format(...args)}\n${caller}`);
  };
}

function failOnUnexpectedOutput(where: string): void {
  if (unexpected.length === 0) return;
  const calls = unexpected;
  unexpected = [];
  throw new Error(
    `Unexpected console output ${where}. A passing test prints nothing: capture expected output with ` +
      `test/support/console-capture.ts and assert it.\n${calls.join('\n')}`,
  );
}

afterEach(() => failOnUnexpectedOutput('during this test or a hook before it'));
afterAll(() => {
  for (const [method, original] of originals) console[method] = original;
  failOnUnexpectedOutput('in an afterAll hook');
});
