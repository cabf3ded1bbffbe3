import { describe, expect, it } from '@jest/globals';
import { resolveJwksPreset } from '../config/jwks.preset.js';
import { OptionProblems } from '../config/option-checks.js';
import { resolveScalekitPreset } from '../config/scalekit.preset.js';
import { authInfoFromClaims, principalKey } from './claims-to-auth-info.js';

const ENV = 'https://acme.scalekit.com';
const RESOURCE_ISSUER = `${ENV}/resources/res_123`;

/** The principal namespaces the Scalekit preset derives (as the module resolves them). */
function scalekitNamespaces(): Record<string, string> {
  const problems = new OptionProblems();
  const authority = resolveScalekitPreset({ environmentUrl: `${ENV}/`, resourceId: 'res_123' }, problems);
  expect(problems.list).toEqual([]);
  if (!authority) throw new Error('the Scalekit preset did not resolve');
  return authority.principalNamespaces;
}

/** The principal namespaces the generic JWKS preset derives for these issuers. */
function jwksNamespaces(issuers: string[]): Record<string, string> {
  const problems = new OptionProblems();
  const authority = resolveJwksPreset({ issuer: issuers, jwksUri: 'https://as.example.com/jwks' }, problems);
  expect(problems.list).toEqual([]);
  if (!authority) throw new Error('the JWKS preset did not resolve');
  return authority.principalNamespaces;
}

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ENV, sub: 'alice', aud: 'res_123', exp: 1_900_000_000, ...extra };
}

describe('principalKey', () => {
  it.each<[string, string, string]>([
    [ENV, 'alice', `${ENV}#alice`],
    ['', '', '#'],
    ['ns', '', 'ns#'],
    ['', 'alice', '#alice'],
    ['https://h/a#b', 'c', 'https://h/a%23b#c'],
    ['https://h/a%23b', 'c', 'https://h/a%2523b#c'],
    ['100%', 'x', '100%25#x'],
    ['ns', 'a#b%c', 'ns#a#b%c'],
    ['##', '##', '%23%23###'],
  ])('principalKey(%j, %j) is %j', (namespace, subject, key) => {
    expect(principalKey(namespace, subject)).toBe(key);
  });

  it('gives different keys to pairs that plain concatenation would confuse', () => {
    const pairs: Array<[string, string]> = [
      ['a#b', 'c'],
      ['a', 'b#c'],
      ['a', '#b#c'],
      ['a#', 'b#c'],
      ['a%23b', 'c'],
      ['a%23', 'b#c'],
      ['a%', '23b#c'],
      ['a%2523b', 'c'],
      ['a%25', '23b#c'],
      ['a#b#c', ''],
      ['', 'a#b#c'],
      ['a', 'b'],
      ['a#', 'b'],
      ['a', '#b'],
      ['%', ''],
      ['%25', ''],
      ['#', ''],
      ['%23', ''],
      ['', '%23'],
      ['', '#'],
    ];
    expect(new Set(pairs.map((pair) => principalKey(...pair))).size).toBe(pairs.length);
  });

  it('is injective over every namespace and subject made of a, #, % and 2, 3, 5 up to three characters each', () => {
    const alphabet = ['a', '#', '%', '2', '3', '5'];
    const words = [''];
    for (let length = 1; length <= 3; length += 1) {
      for (const word of words.filter((candidate) => candidate.length === length - 1)) {
        for (const letter of alphabet) words.push(word + letter);
      }
    }
    const keys = new Set<string>();
    for (const namespace of words) for (const subject of words) keys.add(principalKey(namespace, subject));
    expect(words).toHaveLength(1 + 6 + 36 + 216);
    expect(keys.size).toBe(words.length * words.length);
  });
});

describe('authInfoFromClaims', () => {
  it('reads every field of a verified claims set', () => {
    const payload = claims({
      aud: ['https://mcp.example.com/mcp', 'res_123'],
      client_id: 'client_1',
      scope: 'todo:read todo:write',
      scopes: ['todo:write', 'admin'],
    });
    const auth = authInfoFromClaims(payload);
    expect(auth).toEqual({
      subject: 'alice',
      principal: `${ENV}#alice`,
      clientId: 'client_1',
      scopes: ['todo:read', 'todo:write', 'admin'],
      expiresAt: 1_900_000_000,
      audience: ['https://mcp.example.com/mcp', 'res_123'],
      issuer: ENV,
      claims: payload,
    });
  });

  it('freezes the result and the claims object in place (no copy)', () => {
    const payload = claims({ scopes: ['a'] });
    const auth = authInfoFromClaims(payload);
    expect(auth.claims).toBe(payload);
    expect(Object.isFrozen(auth)).toBe(true);
    expect(Object.isFrozen(payload)).toBe(true);
    expect(Object.isFrozen(auth.scopes)).toBe(true);
    expect(Object.isFrozen(auth.audience)).toBe(true);
    expect(() => {
      (auth as { subject: string }).subject = 'mallory';
    }).toThrow(TypeError);
    expect(auth.subject).toBe('alice');
  });

  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['client_id first', { client_id: 'c', azp: 'a', cid: 'i' }, 'c'],
    ['azp without client_id', { azp: 'a', cid: 'i' }, 'a'],
    ['cid last', { cid: 'i' }, 'i'],
    ['none', {}, undefined],
    ['a non-string client_id skipped', { client_id: 42, azp: 'a' }, 'a'],
    ['an array client_id skipped', { client_id: ['c'], cid: 'i' }, 'i'],
    ['an empty client_id kept (a string)', { client_id: '', azp: 'a' }, ''],
    ['only non-strings', { client_id: null, azp: {}, cid: true }, undefined],
  ])('reads the client id: %s', (_name, extra, clientId) => {
    expect(authInfoFromClaims(claims(extra)).clientId).toBe(clientId);
  });

  it.each<[string, unknown, string[]]>([
    ['a string', 'res_123', ['res_123']],
    ['an array', ['a', 'b'], ['a', 'b']],
    ['an array with non-strings', ['a', 1, null, { aud: 'x' }, ['b'], 'c'], ['a', 'c']],
    ['absent', undefined, []],
    ['a number', 42, []],
    ['an object', { 0: 'a', length: 1 }, []],
    ['null', null, []],
  ])('reads the audience as an array: %s', (_name, aud, audience) => {
    expect(authInfoFromClaims(claims({ aud })).audience).toEqual(audience);
  });

  describe('principal', () => {
    it("maps Scalekit's two issuer spellings to one principal", () => {
      const namespaces = scalekitNamespaces();
      const fromEnvironment = authInfoFromClaims(claims({ iss: ENV }), namespaces);
      const fromResource = authInfoFromClaims(claims({ iss: RESOURCE_ISSUER }), namespaces);
      expect(fromEnvironment.principal).toBe(`${ENV}#alice`);
      expect(fromResource.principal).toBe(`${ENV}#alice`);
      // The issuer itself stays what the token says.
      expect(fromResource.issuer).toBe(RESOURCE_ISSUER);
    });

    it('keeps the spellings apart without the namespaces', () => {
      expect(authInfoFromClaims(claims({ iss: ENV })).principal).not.toBe(
        authInfoFromClaims(claims({ iss: RESOURCE_ISSUER })).principal,
      );
    });

    it('gives unrelated issuers different principals for the same sub', () => {
      const namespaces = jwksNamespaces(['https://a.example.com', 'https://b.example.com']);
      const a = authInfoFromClaims(claims({ iss: 'https://a.example.com' }), namespaces);
      const b = authInfoFromClaims(claims({ iss: 'https://b.example.com' }), namespaces);
      expect(a.subject).toBe(b.subject);
      expect(a.principal).toBe('https://a.example.com#alice');
      expect(b.principal).toBe('https://b.example.com#alice');
    });

    it('keeps another Scalekit environment apart from the configured one', () => {
      const namespaces = scalekitNamespaces();
      const other = authInfoFromClaims(claims({ iss: 'https://evil.scalekit.com/resources/res_123' }), namespaces);
      expect(other.principal).toBe('https://evil.scalekit.com/resources/res_123#alice');
    });

    it('cannot be forged by a # in the issuer or the subject', () => {
      const forged = authInfoFromClaims(claims({ iss: `${ENV}#alice`, sub: 'x' }));
      const real = authInfoFromClaims(claims({ iss: ENV, sub: 'alice#x' }));
      expect(forged.principal).toBe('https://acme.scalekit.com%23alice#x');
      expect(real.principal).toBe('https://acme.scalekit.com#alice#x');
    });

    it.each<[string, string]>([
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['toString', 'toString'],
      ['hasOwnProperty', 'hasOwnProperty'],
    ])('reads an issuer named %s as its own namespace, not an Object.prototype member', (_name, iss) => {
      for (const namespaces of [undefined, {}, scalekitNamespaces()]) {
        expect(authInfoFromClaims(claims({ iss }), namespaces).principal).toBe(`${iss}#alice`);
      }
    });

    it('maps an issuer named __proto__ when the namespaces name it (JSON-parsed or built from entries)', () => {
      const parsed = JSON.parse('{"__proto__": "https://ns.example.com"}') as Record<string, string>;
      const entries = Object.fromEntries([['__proto__', 'https://ns.example.com']]) as Record<string, string>;
      for (const namespaces of [parsed, entries]) {
        expect(authInfoFromClaims(claims({ iss: '__proto__' }), namespaces).principal).toBe(
          'https://ns.example.com#alice',
        );
      }
    });

    it('reads a namespace map without a prototype', () => {
      const namespaces = Object.assign(Object.create(null) as Record<string, string>, { [RESOURCE_ISSUER]: ENV });
      expect(authInfoFromClaims(claims({ iss: RESOURCE_ISSUER }), namespaces).principal).toBe(`${ENV}#alice`);
    });

    it('ignores namespaces inherited from a prototype', () => {
      const namespaces = Object.create({ [RESOURCE_ISSUER]: ENV }) as Record<string, string>;
      expect(authInfoFromClaims(claims({ iss: RESOURCE_ISSUER }), namespaces).principal).toBe(
        `${RESOURCE_ISSUER}#alice`,
      );
    });

    it('escapes # and % of a mapped namespace', () => {
      const namespaces = { 'https://as.example.com': 'tenant#1%' };
      expect(authInfoFromClaims(claims({ iss: 'https://as.example.com' }), namespaces).principal).toBe(
        'tenant%231%25#alice',
      );
    });
  });
});
