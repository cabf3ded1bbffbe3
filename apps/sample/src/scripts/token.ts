import { authorizeHeadlessly, HeadlessOAuthClient } from '@nestjs-mcp-oauth/sample-kit/oauth-client';
import { parseArgs } from 'node:util';

const USAGE = `Usage: npm run token -- [--scope "todo:read todo:write"] [--sub <user>] [--url <MCP endpoint>]

Gets an access token from a running sample app's embedded authorization server, as a real OAuth client does
(protected resource metadata -> authorization server metadata -> dynamic registration -> authorization code with
PKCE -> token), and prints the JWT on stdout. The MCP endpoint defaults to MCP_SERVER_URL or
http://localhost:$PORT/mcp (PORT defaults to 3000).`;

/** The MCP endpoint to ask, and where that URL came from (said in every error). */
interface TokenTarget {
  url: string;
  source: string;
}

/** `--url`, else `MCP_SERVER_URL`, else `http://localhost:$PORT/mcp` (PORT defaults to 3000). */
function tokenTarget(urlOption: string | undefined, env: NodeJS.ProcessEnv): TokenTarget {
  if (urlOption) return { url: urlOption, source: '--url' };
  if (env.MCP_SERVER_URL) return { url: env.MCP_SERVER_URL, source: 'MCP_SERVER_URL' };
  const port = env.PORT ?? '3000';
  return { url: `http://localhost:${port}/mcp`, source: `the default http://localhost:$PORT/mcp with PORT=${port}` };
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** The network error code behind a failed fetch (undici wraps it: `TypeError('fetch failed', { cause })`). */
function connectionErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth++) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && CONNECTION_ERRORS.has(code)) return code;
    // Happy eyeballs (localhost = ::1 and 127.0.0.1) reports an AggregateError of one error per address.
    if (Array.isArray(errors)) return errors.map(connectionErrorCode).find(Boolean);
    current = cause;
  }
  return undefined;
}

/** What `npm run token` prints on stderr when it fails: always the URL it tried and where that URL came from. */
function tokenFailureMessage(target: TokenTarget, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = connectionErrorCode(error);
  if (code) {
    return [
      `npm run token: no server answered at ${target.url} (${code}; URL from ${target.source}).`,
      'Start a sample first (npm start or npm run start:mcp-nest, in another terminal), or point at the running',
      'one with --url <MCP endpoint> or MCP_SERVER_URL (use the "MCP endpoint" URL it prints).',
    ].join('\n');
  }
  return [
    `npm run token failed against ${target.url} (URL from ${target.source}): ${message}`,
    'Is a sample running there without SCALEKIT_* settings (npm start, npm run start:mcp-nest)? Tokens come from',
    'its embedded development authorization server only.',
  ].join('\n');
}

/** `npm run token`: prints an access token from the sample's embedded authorization server. */
async function main(): Promise<void> {
  let values: { scope: string; sub?: string; url?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        scope: { type: 'string', default: 'todo:read todo:write' },
        sub: { type: 'string' },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`npm run token: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const target = tokenTarget(values.url, process.env);
  try {
    process.stdout.write(`${await fetchToken(target.url, values.scope, values.sub)}\n`);
  } catch (error) {
    process.stderr.write(`${tokenFailureMessage(target, error)}\n`);
    process.exit(1);
  }
}

/** Runs the OAuth flow against the MCP endpoint's authorization server and returns the access token. */
function fetchToken(serverUrl: string, scope: string, subject: string | undefined): Promise<string> {
  return authorizeHeadlessly(
    new HeadlessOAuthClient({ loginHint: subject, clientName: 'npm run token' }),
    serverUrl,
    scope,
  );
}

void main();
