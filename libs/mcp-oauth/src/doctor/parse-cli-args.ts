import { parseArgs } from 'node:util';

/** Usage of the `nestjs-mcp-oauth` command. */
export const USAGE = `Usage: nestjs-mcp-oauth doctor <mcp-url> [--json] [--token <jwt>] [--timeout <ms>]

Checks a running MCP server the way MCP clients discover and authorize against it, and says what to fix.

  <mcp-url>        the MCP endpoint exactly as clients connect to it, e.g. https://mcp.example.com/mcp
  --json           print { "checks": [{ "id", "ok", "message" }] } instead of one line per check
  --token <jwt>    an access token for the server: also checks its audience and lists the tools with it
                   (sent only to <mcp-url>, never printed)
  --timeout <ms>   time allowed for each HTTP request (default 5000)
  -h, --help       show this help

Exit status: 0 every check passed, 1 a check failed, 2 bad usage.
`;

/** A valid `doctor` invocation. */
export interface DoctorCommand {
  command: 'doctor';
  mcpUrl: string;
  json: boolean;
  token?: string;
  timeoutMs?: number;
}

/** What the arguments ask for: run the doctor, show help, or a usage error (never echoing a token). */
export type CliInvocation = DoctorCommand | { command: 'help' } | { command: 'usage-error'; error: string };

const STRING_OPTIONS = new Set(['token', 'timeout']);
const BOOLEAN_OPTIONS = new Set(['json', 'help']);

/**
 * Parses `nestjs-mcp-oauth` arguments (without `node` and the script) with node:util `parseArgs` tokens, so every
 * error message is the doctor's own: it names options but never repeats an argument's value (a misplaced token must
 * not end up on the terminal).
 *
 * @example
 * parseCliArgs(['doctor', 'https://h/mcp', '--json']); // { command: 'doctor', mcpUrl: 'https://h/mcp', json: true }
 */
export function parseCliArgs(args: string[]): CliInvocation {
  const { tokens } = parseArgs({
    args,
    options: {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      token: { type: 'string' },
      timeout: { type: 'string' },
    },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const positionals: string[] = [];
  const values: { json?: boolean; help?: boolean; token?: string; timeout?: string } = {};
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const name = token.name;
    if (STRING_OPTIONS.has(name)) {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
        return usageError(`${token.rawName} needs a value`);
      }
      values[name as 'token' | 'timeout'] = token.value;
    } else if (BOOLEAN_OPTIONS.has(name)) {
      if (token.value !== undefined) return usageError(`${token.rawName} takes no value`);
      values[name as 'json' | 'help'] = true;
    } else {
      return usageError(`unknown option ${token.rawName}`);
    }
  }
  if (values.help) return { command: 'help' };
  const [command, mcpUrl, ...extra] = positionals;
  if (command === undefined) return usageError('missing command: doctor');
  if (command !== 'doctor') return usageError('unknown command (the only command is doctor)');
  if (mcpUrl === undefined) return usageError('missing <mcp-url>');
  if (extra.length > 0) return usageError(`expected one <mcp-url>, got ${extra.length + 1} arguments`);
  const urlProblem = describeUrlProblem(mcpUrl);
  if (urlProblem) return usageError(urlProblem);
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout) || timeoutMs < 1) return usageError('--timeout must be a positive number of ms');
  }
  return { command: 'doctor', mcpUrl, json: values.json ?? false, token: values.token, timeoutMs };
}

function usageError(error: string): CliInvocation {
  return { command: 'usage-error', error };
}

/** Why a `<mcp-url>` argument is not usable; names the scheme of a URL but never repeats something else. */
function describeUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return '<mcp-url> is not a URL: give the full MCP endpoint URL, e.g. https://mcp.example.com/mcp';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `<mcp-url> must be an http(s) URL, not ${url.protocol}`;
  }
  return undefined;
}
