import { describe, expect, it } from '@jest/globals';
import { readScopesFromClaims } from './scope-claims.js';

describe('readScopesFromClaims', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['no scope claims', { sub: 'user', aud: 'x' }, []],
    ['an empty object', {}, []],
    ['an empty scope string', { scope: '' }, []],
    ['a whitespace-only scope string', { scope: ' \t\n ' }, []],
    ['an empty scopes array', { scopes: [] }, []],
    ['a single scope string', { scope: 'todo:read' }, ['todo:read']],
    ['a space-delimited scope string', { scope: 'todo:read todo:write' }, ['todo:read', 'todo:write']],
    [
      'a scope string with leading, trailing, repeated and mixed whitespace',
      { scope: '  todo:read \t\t todo:write\n\r\nprofile  ' },
      ['todo:read', 'todo:write', 'profile'],
    ],
    ['a scope string repeating a scope', { scope: 'a b a b' }, ['a', 'b']],
    ['an scp string', { scp: 'todo:read todo:write' }, ['todo:read', 'todo:write']],
    ['an scp array', { scp: ['todo:read', 'todo:write'] }, ['todo:read', 'todo:write']],
    ['a scopes array (Scalekit)', { scopes: ['todo:read', 'todo:write'] }, ['todo:read', 'todo:write']],
    ['array elements holding several space-delimited scopes', { scopes: [' a  b ', 'c'] }, ['a', 'b', 'c']],
    ['array elements that are empty or blank', { scp: ['', '  ', 'a'] }, ['a']],
    ['non-string array elements', { scopes: [1, null, undefined, { scope: 'x' }, ['nested'], true, 'ok'] }, ['ok']],
    ['a scopes string (tolerated like scope)', { scopes: 'a b' }, ['a', 'b']],
  ])('reads %s', (_name, claims, expected) => {
    expect(readScopesFromClaims(claims)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['a boolean', true],
    ['null', null],
    ['an object', { read: true }],
  ])('ignores a claim that is %s', (_name, junk) => {
    expect(readScopesFromClaims({ scope: junk, scp: junk, scopes: junk })).toEqual([]);
  });

  it('combines scope, scp and scopes, de-duplicated, in claim order scope -> scp -> scopes', () => {
    const claims = {
      scopes: ['todo:write', 'admin', 'todo:read'],
      scp: ['profile', 'todo:read'],
      scope: 'todo:read email',
    };
    expect(readScopesFromClaims(claims)).toEqual(['todo:read', 'email', 'profile', 'todo:write', 'admin']);
  });

  it('keeps the valid claims when another one is junk', () => {
    expect(readScopesFromClaims({ scope: 7, scp: 'a', scopes: [false, 'b'] })).toEqual(['a', 'b']);
  });

  it('is case-sensitive (RFC 6749 §3.3)', () => {
    expect(readScopesFromClaims({ scope: 'Todo:Read todo:read' })).toEqual(['Todo:Read', 'todo:read']);
  });

  it('does not modify the claims', () => {
    const claims = { scopes: ['b', 'a'], scope: 'c' };
    readScopesFromClaims(claims);
    expect(claims).toEqual({ scopes: ['b', 'a'], scope: 'c' });
  });
});
