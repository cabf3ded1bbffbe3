import { describe, expect, it } from '@jest/globals';
import { parseCliArgs } from './parse-cli-args.js';

describe('parseCliArgs', () => {
  it('reads doctor <mcp-url> with its options in any order', () => {
    expect(parseCliArgs(['doctor', '--json', 'https://h/mcp', '--token', 'x.y.z', '--timeout=250'])).toEqual({
      command: 'doctor',
      mcpUrl: 'https://h/mcp',
      json: true,
      token: 'x.y.z',
      timeoutMs: 250,
    });
    expect(parseCliArgs(['doctor', 'http://127.0.0.1:3000/mcp'])).toEqual({
      command: 'doctor',
      mcpUrl: 'http://127.0.0.1:3000/mcp',
      json: false,
      token: undefined,
      timeoutMs: undefined,
    });
  });

  it('asks for help with -h or --help', () => {
    expect(parseCliArgs(['-h'])).toEqual({ command: 'help' });
    expect(parseCliArgs(['doctor', '--help'])).toEqual({ command: 'help' });
  });

  it.each([
    [['doctor', 'https://h/mcp', '--token', '--json'], '--token needs a value'],
    [['doctor', 'https://h/mcp', '--timeout', '0'], '--timeout must be a positive number of ms'],
    [['doctor', 'https://h/mcp', '--timeout', '1.5'], '--timeout must be a positive number of ms'],
    [['doctor', 'https://h/mcp', '-x'], 'unknown option -x'],
    [['doctor', 'mailto:a@b'], '<mcp-url> must be an http(s) URL, not mailto:'],
  ])('%j is a usage error: %s', (args, error) => {
    expect(parseCliArgs(args)).toEqual({ command: 'usage-error', error });
  });

  it('never repeats a misplaced value in its errors', () => {
    const secret = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig';
    for (const args of [
      [secret],
      ['doctor', secret],
      ['doctor', 'https://h/mcp', `--tokne=${secret}`],
      ['doctor', 'https://h/mcp', secret],
    ]) {
      const result = parseCliArgs(args);
      expect(result.command).toBe('usage-error');
      expect(JSON.stringify(result)).not.toContain(secret);
    }
  });
});
