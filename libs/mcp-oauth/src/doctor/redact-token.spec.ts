import { describe, expect, it } from '@jest/globals';
import { decodeJwtClaimsUnverified } from './jwt-claims.js';
import { redactToken } from './redact-token.js';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = `${part({ alg: 'RS256' })}.${part({ aud: 'https://h/mcp', sub: 'someone-quite-long' })}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`;

describe('redactToken', () => {
  it('removes the whole token and each long part of it', () => {
    const [, payload, signature] = token.split('.');
    expect(redactToken(`a ${token} b ${payload} c ${signature}`, token)).toBe('a [token] b [token] c [token]');
  });

  it('leaves text alone without a token', () => {
    expect(redactToken('nothing to hide', undefined)).toBe('nothing to hide');
  });
});

describe('decodeJwtClaimsUnverified', () => {
  it('reads the payload of a compact JWS', () => {
    expect(decodeJwtClaimsUnverified(token)).toEqual({ aud: 'https://h/mcp', sub: 'someone-quite-long' });
  });

  it.each(['opaque-token', 'a.b', 'a.b.c.d', `${part({})}.${Buffer.from('[1]').toString('base64url')}.x`, 'a.!!.c'])(
    'is undefined for %s (not a JWT with an object payload)',
    (value) => {
      expect(decodeJwtClaimsUnverified(value)).toBeUndefined();
    },
  );
});
