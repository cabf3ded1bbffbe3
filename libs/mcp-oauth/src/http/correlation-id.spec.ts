import { describe, expect, it } from '@jest/globals';
import { correlationIdsFor } from './correlation-id.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlationIdsFor', () => {
  it('generates a fresh UUID for every request, whatever the caller sends', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 1000; index += 1) {
      const { correlationId } = correlationIdsFor({ 'x-request-id': 'same-id' });
      expect(correlationId).toMatch(UUID_V4);
      seen.add(correlationId);
    }
    expect(seen.size).toBe(1000);
  });

  it('never takes the caller id as its own, even a UUID', () => {
    const given = '123e4567-e89b-42d3-a456-426614174000';
    const ids = correlationIdsFor({ 'x-request-id': given });
    expect(ids.correlationId).not.toBe(given);
    expect(ids.clientRequestId).toBe(given);
  });

  it.each<[string, string]>([
    ['a single character', 'a'],
    ['a UUID', '123e4567-e89b-42d3-a456-426614174000'],
    ['dots, colons, underscores and dashes', 'svc.a:b_c-d'],
    ['64 characters', 'x'.repeat(64)],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
  ])('keeps a safe caller id: %s', (_name, given) => {
    expect(correlationIdsFor({ 'x-request-id': given }).clientRequestId).toBe(given);
  });

  it.each<[string, string | string[] | undefined]>([
    ['no header', undefined],
    ['an empty value', ''],
    ['65 characters', 'x'.repeat(65)],
    ['100 000 characters', 'x'.repeat(100_000)],
    ['a space', 'a b'],
    ['CR LF and a forged log line', 'abc\r\nlevel=info msg=forged'],
    ['a trailing line feed', 'abc\n'],
    ['a NUL', 'abc\u0000'],
    ['a quote', 'abc"'],
    ['a slash', 'a/b'],
    ['a non-ASCII letter', 'ré'],
    ['a fullwidth letter', 'ａ'],
    ['an emoji', '🔑'],
    ['an array of safe values', ['a', 'b']],
    ['a one-element array', ['a']],
  ])('drops an unsafe caller id: %s', (_name, given) => {
    const ids = correlationIdsFor({ 'x-request-id': given });
    expect(ids.clientRequestId).toBeUndefined();
    expect(ids.correlationId).toMatch(UUID_V4);
  });

  it('reads only the lower-case header name (as Node gives it)', () => {
    expect(correlationIdsFor({ 'X-Request-Id': 'abc' }).clientRequestId).toBeUndefined();
  });

  it('reads no id from the prototype of a JSON-parsed header object', () => {
    const headers = JSON.parse('{"__proto__":{"x-request-id":"abc"}}') as Record<string, string>;
    expect(correlationIdsFor(headers).clientRequestId).toBeUndefined();
  });
});
