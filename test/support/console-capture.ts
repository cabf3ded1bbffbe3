import { jest } from '@jest/globals';
import { stripVTControlCharacters } from 'node:util';
import { serialiseLogValue } from './capture-logger.js';

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';
const METHODS: readonly ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug', 'trace'];

/** Console output recorded instead of printed. */
export interface ConsoleCapture {
  /** Every captured call as `console.<method> <each argument serialised>`, terminal colours removed. */
  readonly lines: string[];
  /** Puts the console back as it was. */
  restore(): void;
}

/**
 * Records console calls instead of printing them, for output a test expects and then asserts. `accept` picks the
 * calls to take (by their line); the others go on to whatever the console did before, which in these suites is
 * test/jest/console-guard.ts: it fails the test on any console output nobody captured.
 */
export function captureConsole(accept: (line: string) => boolean = () => true): ConsoleCapture {
  const lines: string[] = [];
  const spies = METHODS.map((method) => {
    const previous = console[method].bind(console);
    return jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      const line = stripVTControlCharacters([`console.${method}`, ...args.map(serialiseLogValue)].join(' '));
      if (accept(line)) lines.push(line);
      else previous(...args);
    });
  });
  return {
    lines,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
