/**
 * Ids of the checks `nestjs-mcp-oauth doctor` always runs, in report order (stable: scripts and `--json` readers rely on them).
 *
 * @example
 * DOCTOR_CHECK_IDS[0]; // 'challenge'
 */
export const DOCTOR_CHECK_IDS = [
  'challenge',
  'prm-path',
  'prm-root',
  'resource-match',
  'authorization-server-metadata',
  'pkce',
  'registration',
  'jwks',
  'cors',
  'scopes',
] as const;

/** Ids of the checks that run only when a token is given (`--token`), after {@link DOCTOR_CHECK_IDS}. */
export const DOCTOR_TOKEN_CHECK_IDS = ['token-audience', 'tools-list'] as const;

/** The id of one doctor check. */
export type DoctorCheckId = (typeof DOCTOR_CHECK_IDS)[number] | (typeof DOCTOR_TOKEN_CHECK_IDS)[number];

/** The verdict of one check, without its id: what a check function returns. */
export interface CheckOutcome {
  ok: boolean;
  /** What was found; on failure, what is wrong and how to fix it. Never contains a token. */
  message: string;
}

/** One line of the report, as printed by `--json`. */
export interface DoctorCheckResult extends CheckOutcome {
  id: DoctorCheckId;
}

/**
 * What `runDoctor` returns and `doctor --json` prints: every check, in the order of {@link DOCTOR_CHECK_IDS}
 * (then {@link DOCTOR_TOKEN_CHECK_IDS} with a token), each present even when a prerequisite failed.
 *
 * @example
 * { checks: [{ id: 'challenge', ok: true, message: '401 with a Bearer challenge ...' }] }
 */
export interface DoctorReport {
  checks: DoctorCheckResult[];
}

/** A passing outcome. */
export function pass(message: string): CheckOutcome {
  return { ok: true, message };
}

/** A failing outcome; `message` says what is wrong and how to fix it. */
export function fail(message: string): CheckOutcome {
  return { ok: false, message };
}

/** A failing outcome for a check that could not run because an earlier one failed (`fix` names that check). */
export function notChecked(reason: string): CheckOutcome {
  return { ok: false, message: `not checked: ${reason}` };
}
