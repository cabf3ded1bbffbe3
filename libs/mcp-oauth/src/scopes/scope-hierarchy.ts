/**
 * Scope sufficiency with a hierarchy (MCP 2026-07-28, Scope Challenge Handling: servers MUST account for scope
 * hierarchies). `{ 'todo:write': ['todo:read'] }` means a token holding `todo:write` also satisfies `todo:read`;
 * implication is transitive and cycles are harmless.
 *
 * @example
 * const hierarchy = new ScopeHierarchy({ 'todo:write': ['todo:read'] });
 * hierarchy.missingScopes(['todo:write'], ['todo:read']); // []
 */
export class ScopeHierarchy {
  private readonly closures = new Map<string, ReadonlySet<string>>();
  private readonly implications: ReadonlyMap<string, readonly string[]>;

  constructor(implications: Readonly<Record<string, readonly string[]>> = {}) {
    // A Map, not the object: scopes named like Object.prototype members ("constructor") are ordinary scopes.
    this.implications = new Map(Object.entries(implications));
    for (const scope of this.implications.keys()) this.closures.set(scope, this.computeClosure(scope));
  }

  /** Every scope implied by the granted ones, the granted ones included. */
  expand(granted: Iterable<string>): Set<string> {
    const effective = new Set<string>();
    for (const scope of granted) {
      const closure = this.closures.get(scope);
      if (closure) for (const implied of closure) effective.add(implied);
      else effective.add(scope);
    }
    return effective;
  }

  /** The required scopes that the granted ones do not satisfy, in the order required. */
  missingScopes(granted: Iterable<string>, required: Iterable<string>): string[] {
    const effective = this.expand(granted);
    const missing: string[] = [];
    for (const scope of required) if (!effective.has(scope) && !missing.includes(scope)) missing.push(scope);
    return missing;
  }

  /** Every scope named by the hierarchy (keys and implied values). */
  allScopes(): string[] {
    const scopes = new Set<string>();
    for (const [key, implied] of this.implications) {
      scopes.add(key);
      for (const scope of implied) scopes.add(scope);
    }
    return [...scopes];
  }

  private computeClosure(scope: string): Set<string> {
    const closure = new Set<string>([scope]);
    const pending = [scope];
    while (pending.length > 0) {
      for (const implied of this.implications.get(pending.pop() as string) ?? []) {
        if (!closure.has(implied)) {
          closure.add(implied);
          pending.push(implied);
        }
      }
    }
    return closure;
  }
}
