import { describe, expect, it } from '@jest/globals';
import { OptionProblems } from './option-checks.js';

/** Runs one check on a fresh collector: its result and the problems it reported. */
function check<T>(run: (problems: OptionProblems) => T): { value: T; problems: string[] } {
  const problems = new OptionProblems();
  const value = run(problems);
  return { value, problems: problems.list };
}

/** `[<hole>, value]`: an array of length 2 whose first element was never set (as `[, value]` or `new Array(2)`). */
function withHole(value: string): string[] {
  const array = new Array<string>(2);
  array[1] = value;
  return array;
}

describe('OptionProblems', () => {
  it('collects problems in the order they are added', () => {
    const problems = new OptionProblems();
    expect(problems.list).toEqual([]);
    problems.add('a: first.');
    problems.number('b', 'x', 1, 0, 10);
    problems.add('c: third.');
    expect(problems.list).toEqual(['a: first.', 'b: must be a number from 0 to 10 (got "x").', 'c: third.']);
  });

  describe('url', () => {
    it.each<[string, string, boolean, string]>([
      ['an https URL', 'https://auth.example.com', true, 'https://auth.example.com/'],
      ['an https URL with a path and query', 'https://auth.example.com/a?b=c', true, 'https://auth.example.com/a?b=c'],
      ['http on localhost', 'http://localhost:8080', true, 'http://localhost:8080/'],
      ['http on a .localhost name', 'http://auth.localhost', true, 'http://auth.localhost/'],
      ['http on 127.0.0.1', 'http://127.0.0.1:9000/x', true, 'http://127.0.0.1:9000/x'],
      ['http on 127.1.2.3', 'http://127.1.2.3', true, 'http://127.1.2.3/'],
      ['http on [::1]', 'http://[::1]:3000', true, 'http://[::1]:3000/'],
      ['http anywhere when https is not required', 'http://auth.example.com', false, 'http://auth.example.com/'],
      ['upper-case scheme and host', 'HTTPS://AUTH.EXAMPLE.COM', true, 'https://auth.example.com/'],
    ])('accepts %s', (_name, value, requireHttps, href) => {
      const { value: url, problems } = check((p) => p.url('issuer', value, requireHttps));
      expect(problems).toEqual([]);
      expect(url?.href).toBe(href);
    });

    it.each<[string, unknown, boolean, RegExp]>([
      ['undefined', undefined, true, /^issuer: is missing; /],
      ['null', null, true, /^issuer: is missing; /],
      ['an empty string', '', true, /^issuer: is missing; /],
      ['a blank string', ' \t\n', true, /^issuer: is missing; /],
      ['a number', 443, true, /^issuer: is missing; /],
      ['an array of one URL', ['https://auth.example.com'], true, /^issuer: is missing; /],
      ['an object with href', { href: 'https://auth.example.com' }, true, /^issuer: is missing; /],
      ['a URL object', new URL('https://auth.example.com'), true, /^issuer: is missing; /],
      ['no scheme', 'auth.example.com', true, /^issuer: "auth\.example\.com" is not an absolute URL; /],
      ['a relative path', '/oauth', true, /is not an absolute URL/],
      ['spaces inside the host', 'https://auth example.com', true, /is not an absolute URL/],
      ['ftp', 'ftp://auth.example.com', true, /must use https \(or http on a loopback host\)/],
      ['javascript:', 'javascript:alert(1)', true, /must use https/],
      ['file:', 'file:///etc/passwd', false, /must use https/],
      ['a fragment', 'https://auth.example.com/#x', true, /must not contain a fragment/],
      ['an empty fragment', 'https://auth.example.com#', true, /must not contain a fragment/],
      ['http on a public host', 'http://auth.example.com', true, /uses http on a non-loopback host/],
      ['http on a host that starts with localhost', 'http://localhost.evil.com', true, /non-loopback host/],
      ['http on a host that starts with 127.0.0.1', 'http://127.0.0.1.evil.com', true, /non-loopback host/],
      ['http on 0.0.0.0', 'http://0.0.0.0', true, /non-loopback host/],
      ['http on 128.0.0.1', 'http://128.0.0.1', true, /non-loopback host/],
    ])('refuses %s with one problem naming the option', (_name, value, requireHttps, message) => {
      const { value: url, problems } = check((p) => p.url('issuer', value, requireHttps));
      expect(url).toBeUndefined();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^issuer: /);
      expect(problems[0]).toMatch(message);
    });

    it('quotes a hostile value without breaking the one-line message', () => {
      const { problems } = check((p) => p.url('issuer', 'ftp://a"b', true));
      expect(problems).toEqual(['issuer: "ftp://a"b" must use https (or http on a loopback host).']);
    });
  });

  describe('number', () => {
    it.each<[string, unknown, boolean, number]>([
      ['absent: the fallback', undefined, false, 7],
      ['the minimum', 1, false, 1],
      ['the maximum', 100, false, 100],
      ['a fraction', 2.5, false, 2.5],
      ['a whole number when required', 42, true, 42],
      ['a whole number written with a fraction', 42.0, true, 42],
    ])('accepts %s', (_name, value, integer, expected) => {
      expect(check((p) => p.number('n', value, 7, 1, 100, integer))).toEqual({ value: expected, problems: [] });
    });

    it.each<[string, unknown, boolean, string]>([
      ['below the minimum', 0, false, 'n: must be a number from 1 to 100 (got 0).'],
      ['above the maximum', 101, false, 'n: must be a number from 1 to 100 (got 101).'],
      ['negative', -1, false, 'n: must be a number from 1 to 100 (got -1).'],
      ['NaN', Number.NaN, false, 'n: must be a number from 1 to 100 (got null).'],
      ['Infinity', Number.POSITIVE_INFINITY, false, 'n: must be a number from 1 to 100 (got null).'],
      ['a numeric string', '30', false, 'n: must be a number from 1 to 100 (got "30").'],
      ['null', null, false, 'n: must be a number from 1 to 100 (got null).'],
      ['an array', [30], false, 'n: must be a number from 1 to 100 (got [30]).'],
      ['an object', { value: 30 }, false, 'n: must be a number from 1 to 100 (got {"value":30}).'],
      ['a boolean', true, false, 'n: must be a number from 1 to 100 (got true).'],
      ['a fraction when whole is required', 2.5, true, 'n: must be a whole number (got 2.5).'],
    ])('refuses %s and keeps the fallback', (_name, value, integer, problem) => {
      expect(check((p) => p.number('n', value, 7, 1, 100, integer))).toEqual({ value: 7, problems: [problem] });
    });

    it.each<[string, unknown]>([
      ['a bigint', 30n],
      ['a Number object', Object(30)],
    ])('refuses %s and keeps the fallback', (_name, value) => {
      const { value: number, problems } = check((p) => p.number('n', value, 7, 1, 100));
      expect(number).toBe(7);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^n: must be a number from 1 to 100/);
    });
  });

  describe('strings', () => {
    it.each<[string, unknown, string[]]>([
      ['absent', undefined, []],
      ['an empty array', [], []],
      ['strings', ['a', '', ' b '], ['a', '', ' b ']],
      ['prototype names', ['__proto__', 'constructor'], ['__proto__', 'constructor']],
    ])('accepts %s', (_name, value, expected) => {
      expect(check((p) => p.strings('list', value))).toEqual({ value: expected, problems: [] });
    });

    it('returns a copy', () => {
      const given = ['a'];
      const { value } = check((p) => p.strings('list', given));
      given.push('b');
      expect(value).toEqual(['a']);
    });

    it.each<[string, unknown]>([
      ['a string', 'a,b'],
      ['null', null],
      ['an object', { 0: 'a', length: 1 }],
      ['numbers among strings', ['a', 1]],
      ['null among strings', ['a', null]],
      ['undefined among strings', ['a', undefined]],
      ['a nested array', [['a']]],
      ['a sparse array (a hole among strings)', withHole('a')],
    ])('refuses %s and returns no strings', (_name, value) => {
      const { value: strings, problems } = check((p) => p.strings('list', value));
      expect(strings).toEqual([]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^list: must be an array of strings \(got /);
    });
  });

  describe('boolean', () => {
    it.each<[unknown, boolean]>([
      [undefined, true],
      [true, true],
      [false, false],
    ])('accepts %p', (value, expected) => {
      expect(check((p) => p.boolean('flag', value, true))).toEqual({ value: expected, problems: [] });
    });

    it.each<[string, unknown, string]>([
      ['the string "false"', 'false', '"false"'],
      ['the string "true"', 'true', '"true"'],
      ['0', 0, '0'],
      ['1', 1, '1'],
      ['null', null, 'null'],
      ['an array', [false], '[false]'],
    ])('refuses %s and keeps the fallback', (_name, value, shown) => {
      expect(check((p) => p.boolean('flag', value, true))).toEqual({
        value: true,
        problems: [`flag: must be true or false (got ${shown}); convert environment strings first.`],
      });
    });
  });

  describe('text', () => {
    it.each<[unknown, string | undefined]>([
      [undefined, undefined],
      ['My MCP server', 'My MCP server'],
      [' x ', ' x '],
      ['__proto__', '__proto__'],
    ])('accepts %p', (value, expected) => {
      expect(check((p) => p.text('name', value))).toEqual({ value: expected, problems: [] });
    });

    it.each<[string, unknown]>([
      ['an empty string', ''],
      ['a blank string', ' \t\r\n'],
      ['null', null],
      ['a number', 42],
      ['an array of one string', ['x']],
    ])('refuses %s', (_name, value) => {
      expect(check((p) => p.text('name', value))).toEqual({
        value: undefined,
        problems: ['name: must be a non-empty string.'],
      });
    });
  });

  describe('oneOf', () => {
    const allowed = ['deny', 'allow'] as const;

    it.each<[unknown, string]>([
      [undefined, 'deny'],
      ['deny', 'deny'],
      ['allow', 'allow'],
    ])('accepts %p', (value, expected) => {
      expect(check((p) => p.oneOf('mode', value, allowed, 'deny'))).toEqual({ value: expected, problems: [] });
    });

    it.each<[string, unknown, string]>([
      ['another case', 'Allow', '"Allow"'],
      ['a padded value', ' allow', '" allow"'],
      ['an array holding an allowed value', ['allow'], '["allow"]'],
      ['null', null, 'null'],
      ['a prototype name', 'constructor', '"constructor"'],
      ['__proto__', '__proto__', '"__proto__"'],
      ['an empty string', '', '""'],
    ])('refuses %s and keeps the fallback', (_name, value, shown) => {
      expect(check((p) => p.oneOf('mode', value, allowed, 'deny'))).toEqual({
        value: 'deny',
        problems: [`mode: must be one of 'deny', 'allow' (got ${shown}).`],
      });
    });
  });

  describe('scopeMap', () => {
    it.each<[string, unknown, Record<string, string[]>]>([
      ['absent', undefined, {}],
      ['an empty object', {}, {}],
      [
        'tools to scopes',
        { create_todo: ['todo:write'], list_todos: [] },
        { create_todo: ['todo:write'], list_todos: [] },
      ],
      ['a tool named constructor', { constructor: ['admin'] }, { constructor: ['admin'] }],
      ['a tool named toString', { toString: ['admin'] }, { toString: ['admin'] }],
      ['a tool named hasOwnProperty', { hasOwnProperty: ['admin'] }, { hasOwnProperty: ['admin'] }],
    ])('keeps %s', (_name, value, expected) => {
      const { value: map, problems } = check((p) => p.scopeMap('toolScopes', value, false));
      expect(problems).toEqual([]);
      expect(Object.entries(map)).toEqual(Object.entries(expected));
    });

    it('copies the scope arrays', () => {
      const scopes = ['todo:write'];
      const { value } = check((p) => p.scopeMap('toolScopes', { create_todo: scopes }, false));
      scopes.push('admin');
      expect(value.create_todo).toEqual(['todo:write']);
    });

    it.each<[string, unknown]>([
      ['an array of pairs', [['create_todo', 'todo:write']]],
      ['a string', 'create_todo=todo:write'],
      ['null', null],
      ['a number', 1],
      ['true', true],
    ])('refuses %s in place of an object', (_name, value) => {
      expect(check((p) => p.scopeMap('toolScopes', value, false))).toEqual({
        value: {},
        problems: [
          'toolScopes: must be an object mapping names to arrays of scopes, e.g. { "create_todo": ["todo:write"] }.',
        ],
      });
    });

    it.each<[string, unknown]>([
      ['a string', 'todo:write'],
      ['two scopes in one string', ['todo:read todo:write']],
      ['a quoted scope', ['"todo:read"']],
      ['a backslash', ['todo\\read']],
      ['an empty scope', ['']],
      ['a non-ASCII scope', ['tâche:écrire']],
      ['a number', [42]],
      ['null', [null]],
      ['an object', { 0: 'todo:write' }],
      ['a sparse array (a hole among scopes)', withHole('todo:write')],
    ])('refuses an entry holding %s and drops it', (_name, scopes) => {
      const { value, problems } = check((p) =>
        p.scopeMap('toolScopes', { create_todo: scopes, list_todos: ['todo:read'] }, false),
      );
      expect(problems).toEqual(['toolScopes.create_todo: must be an array of scope strings without spaces.']);
      expect(value).toEqual({ list_todos: ['todo:read'] });
    });

    it.each<[string, string]>([
      ['a space', 'todo write'],
      ['a quote', 'todo"write'],
      ['an empty key', ''],
      ['a non-ASCII key', 'tâche'],
    ])('refuses a hierarchy key with %s', (_name, key) => {
      const { value, problems } = check((p) => p.scopeMap('scopeHierarchy', { [key]: ['todo:read'] }, true));
      expect(problems).toEqual([
        `scopeHierarchy: key ${JSON.stringify(key)} is not a valid scope (no spaces or quotes).`,
      ]);
      expect(value).toEqual({});
    });

    it('accepts tool names that are not scopes when the keys are not scopes', () => {
      const { value, problems } = check((p) => p.scopeMap('toolScopes', { 'create todo "x"': ['a'] }, false));
      expect(problems).toEqual([]);
      expect(value).toEqual({ 'create todo "x"': ['a'] });
    });

    it.each<[string, boolean]>([
      ['toolScopes', false],
      ['scopeHierarchy', true],
    ])('keeps a %s key named __proto__ (from JSON) as an entry, never as the prototype', (name, keysAreScopes) => {
      const given = JSON.parse('{"__proto__": ["admin"], "create_todo": ["todo:write"]}') as unknown;
      const { value, problems } = check((p) => p.scopeMap(name, given, keysAreScopes));
      expect(problems).toEqual([]);
      expect(Object.entries(value)).toEqual([
        ['__proto__', ['admin']],
        ['create_todo', ['todo:write']],
      ]);
      expect(Array.isArray(Object.getPrototypeOf(value))).toBe(false);
    });
  });
});
