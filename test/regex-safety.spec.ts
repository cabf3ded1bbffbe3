import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { check } from 'recheck';
import ts from 'typescript';

/** Source trees whose code sees request-controlled input: the library and every app (specs excluded). */
const ROOTS = ['libs', 'apps'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

interface FoundRegex {
  where: string;
  source: string;
  flags: string;
}

/** Every regular expression literal, and every `new RegExp(...)` / `RegExp(...)` call, of a file. */
function regexesOf(file: string): { literals: FoundRegex[]; constructed: string[] } {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const literals: FoundRegex[] = [];
  const constructed: string[] = [];
  const visit = (node: ts.Node): void => {
    const where = `${relative(process.cwd(), file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    if (ts.isRegularExpressionLiteral(node)) {
      const slash = node.text.lastIndexOf('/');
      literals.push({ where, source: node.text.slice(1, slash), flags: node.text.slice(slash + 1) });
    }
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === 'RegExp') {
      constructed.push(where);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { literals, constructed };
}

const found = ROOTS.flatMap(sourceFiles).map(regexesOf);
const literals = found.flatMap((file) => file.literals);

describe('regular expressions in the library and the apps', () => {
  it('are literals only (a regex built at run time could not be checked here)', () => {
    expect(found.flatMap((file) => file.constructed)).toEqual([]);
    expect(literals.length).toBeGreaterThan(10);
  });

  it('the checker finds a super-linear pattern when there is one (the check can fail)', async () => {
    // The pattern the CORS middleware used to run on every path before any guard: quadratic on '/'.repeat(n) + 'a'.
    expect((await check('\\/+$', '')).status).toBe('vulnerable');
  }, 60_000);

  it.each(literals.map((regex) => [regex.where, regex.source, regex.flags]))(
    '%s /%s/%s is safe from ReDoS (recheck)',
    async (_where, source, flags) => {
      const diagnostics = await check(source, flags);
      expect({
        status: diagnostics.status,
        complexity: diagnostics.status === 'safe' ? undefined : diagnostics,
      }).toEqual({ status: 'safe', complexity: undefined });
    },
    60_000,
  );
});
