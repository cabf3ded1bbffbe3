import { describe, expect, it } from '@jest/globals';
import { hasBody, isJsonMediaType } from './json-media-type.js';

describe('isJsonMediaType', () => {
  it.each<[string, string | undefined, boolean]>([
    ['the bare type', 'application/json', true],
    ['upper case', 'APPLICATION/JSON', true],
    ['mixed case', 'Application/Json', true],
    ['a charset parameter', 'application/json; charset=utf-8', true],
    ['a parameter without a space', 'application/json;charset=UTF-8', true],
    ['several parameters', 'application/json; charset=utf-8; profile="x"', true],
    ['an empty parameter list', 'application/json;', true],
    ['junk after the semicolon', 'application/json;\u0000\r\n\u00a0garbage', true],
    ['spaces before the semicolon', 'application/json  ; charset=utf-8', true],
    ['a tab before the semicolon', 'application/json\t;charset=utf-8', true],
    ['leading and trailing spaces', '  application/json  ', true],
    ['leading and trailing tabs', '\tapplication/json\t', true],
    ['mixed OWS on both sides', ' \t application/json \t ', true],
    ['a no-break space after', 'application/json\u00a0', false],
    ['a no-break space before', '\u00a0application/json', false],
    ['an em space', 'application/json\u2003', false],
    ['an ideographic space', '\u3000application/json', false],
    ['a byte order mark', '\ufeffapplication/json', false],
    ['a zero-width space', 'application/json\u200b', false],
    ['a line feed', 'application/json\n', false],
    ['a carriage return', '\rapplication/json', false],
    ['a vertical tab', 'application/json\u000b', false],
    ['a form feed before the semicolon', 'application/json\u000c; charset=utf-8', false],
    ['a NUL', 'application/json\u0000', false],
    ['a space inside the type', 'application/ json', false],
    ['a longer subtype', 'application/jsonx', false],
    ['a shorter subtype', 'application/jso', false],
    ['a structured-syntax suffix', 'application/ld+json', false],
    ['a vendor type', 'application/vnd.api+json', false],
    ['text/json', 'text/json', false],
    ['text/plain', 'text/plain', false],
    ['a form', 'application/x-www-form-urlencoded', false],
    ['a list of two types', 'application/json, text/plain', false],
    ['a list with the JSON type second', 'text/plain, application/json', false],
    ['a comma before parameters', 'application/json,; charset=utf-8', false],
    ['the type twice', 'application/jsonapplication/json', false],
    ['a wildcard', 'application/*', false],
    ['*/*', '*/*', false],
    ['a dotted capital I (lower-cases to two code units)', 'applİcation/json', false],
    ['a Kelvin sign (lower-cases to k)', 'application/json\u212a', false],
    ['a fullwidth solidus', 'application\uff0fjson', false],
    ['a 100 000-character value', `application/json${' '.repeat(100_000)}x`, false],
    ['only a parameter', '; charset=utf-8', false],
    ['only OWS', ' \t ', false],
    ['empty', '', false],
    ['undefined', undefined, false],
  ])('%s (%j) -> %p', (_name, contentType, expected) => {
    expect(isJsonMediaType(contentType)).toBe(expected);
  });
});

describe('hasBody', () => {
  it.each<[string, { 'transfer-encoding'?: string; 'content-length'?: string }, boolean]>([
    ['no framing headers', {}, false],
    ['both undefined', { 'transfer-encoding': undefined, 'content-length': undefined }, false],
    ['a Content-Length', { 'content-length': '12' }, true],
    ['Content-Length: 0 (a body of length zero)', { 'content-length': '0' }, true],
    ['an empty Content-Length', { 'content-length': '' }, true],
    ['a non-numeric Content-Length', { 'content-length': 'abc' }, true],
    ['Transfer-Encoding: chunked', { 'transfer-encoding': 'chunked' }, true],
    ['an empty Transfer-Encoding', { 'transfer-encoding': '' }, true],
    ['both', { 'transfer-encoding': 'chunked', 'content-length': '5' }, true],
  ])('%s -> %p', (_name, headers, expected) => {
    expect(hasBody(headers)).toBe(expected);
  });

  it('ignores other headers and the prototype', () => {
    const headers = Object.create({ 'content-length': '5', 'transfer-encoding': 'chunked' }) as Record<string, string>;
    headers['content-type'] = 'application/json';
    // Inherited values count like own ones (plain property reads); Node's header objects inherit nothing.
    expect(hasBody(headers)).toBe(true);
    expect(hasBody(JSON.parse('{"__proto__":{"content-length":"5"},"content-type":"application/json"}'))).toBe(false);
  });
});
