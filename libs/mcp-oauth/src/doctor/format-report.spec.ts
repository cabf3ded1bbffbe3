import { describe, expect, it } from '@jest/globals';
import { formatReport, formatReportJson } from './format-report.js';

const report = {
  checks: [
    { id: 'challenge' as const, ok: true, message: '401 with a Bearer challenge' },
    { id: 'pkce' as const, ok: false, message: 'code_challenge_methods_supported is missing; advertise ["S256"]' },
  ],
};

describe('report formats', () => {
  it('prints one line per check: "ok   <id>  <message>" or "FAIL <id>  <message>"', () => {
    expect(formatReport(report)).toBe(
      'ok   challenge  401 with a Bearer challenge\nFAIL pkce  code_challenge_methods_supported is missing; advertise ["S256"]\n',
    );
  });

  it('prints JSON with exactly checks[].id, ok, message', () => {
    const extra = { checks: report.checks.map((check) => ({ ...check, detail: 'not printed' })) };
    expect(JSON.parse(formatReportJson(extra))).toEqual(report);
  });
});
