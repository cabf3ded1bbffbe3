import type { DoctorReport } from './doctor-report.js';

/**
 * The report for a terminal: one line per check, `ok   <id>  <message>` or `FAIL <id>  <message>`, each line ending
 * with a newline.
 *
 * @example
 * formatReport({ checks: [{ id: 'pkce', ok: false, message: 'code_challenge_methods_supported is missing; ...' }] });
 * // 'FAIL pkce  code_challenge_methods_supported is missing; ...\n'
 */
export function formatReport(report: DoctorReport): string {
  return report.checks.map(({ id, ok, message }) => `${ok ? 'ok  ' : 'FAIL'} ${id}  ${message}\n`).join('');
}

/**
 * The report as `doctor --json` prints it: exactly `{ "checks": [{ "id", "ok", "message" }] }` (a stable shape:
 * scripts rely on it), indented, with a final newline.
 */
export function formatReportJson(report: DoctorReport): string {
  const checks = report.checks.map(({ id, ok, message }) => ({ id, ok, message }));
  return `${JSON.stringify({ checks }, null, 2)}\n`;
}
