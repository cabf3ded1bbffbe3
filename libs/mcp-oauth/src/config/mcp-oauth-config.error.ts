/**
 * Thrown at boot when {@link McpOAuthModuleOptions} are missing or malformed. The message lists every problem,
 * one per line, each naming the option and what to do.
 */
export class McpOAuthConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`McpOAuthModule configuration error:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'McpOAuthConfigError';
    this.problems = problems;
  }
}
