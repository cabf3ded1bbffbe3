#!/usr/bin/env node
import { formatReport, formatReportJson } from './format-report.js';
import { parseCliArgs, USAGE } from './parse-cli-args.js';
import { redactToken } from './redact-token.js';
import { runDoctor } from './run-doctor.js';

/**
 * `nestjs-mcp-oauth doctor <mcp-url> [--json] [--token <jwt>] [--timeout <ms>]` (a stable interface: scripts rely on
 * it): runs {@link runDoctor} and prints the report; exit status 0 when every check passes, 1 when any
 * fails, 2 on bad usage (with the usage on stderr).
 */
async function main(args: string[]): Promise<number> {
  const invocation = parseCliArgs(args);
  if (invocation.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (invocation.command === 'usage-error') {
    process.stderr.write(`nestjs-mcp-oauth: ${invocation.error}\n\n${USAGE}`);
    return 2;
  }
  try {
    const report = await runDoctor(invocation.mcpUrl, { token: invocation.token, timeoutMs: invocation.timeoutMs });
    process.stdout.write(invocation.json ? formatReportJson(report) : formatReport(report));
    return report.checks.every((check) => check.ok) ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`nestjs-mcp-oauth doctor failed: ${redactToken(message, invocation.token)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
