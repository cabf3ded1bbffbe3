import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { resolveMcpOAuthOptions } from '../config/resolve-options.js';
import type { ResolvedMcpOAuthOptions } from '../config/resolved-options.js';
import { McpOAuthEvents } from '../events/mcp-oauth-events.js';
import { createVerification } from '../mcp-oauth.providers.js';
import { createScalekitClient } from '../scalekit/create-scalekit-client.js';
import { LocalIssuer } from '../testing/local-issuer.js';
import type { TokenVerifier } from './token-verifier.js';

/** The verifier the module builds from these options (as `McpOAuthModule` wires it). */
async function moduleVerifier(options: ResolvedMcpOAuthOptions): Promise<TokenVerifier> {
  const scalekit = options.authority.kind === 'scalekit' ? options.authority.scalekit : undefined;
  const client = await createScalekitClient(scalekit, options.verification.mode === 'scalekit-sdk');
  return createVerification(options, client, new McpOAuthEvents(undefined, undefined)).verifier;
}

const RESOURCE = 'https://mcp.example.com/mcp';
const RESOURCE_ID = 'res_parity';

type Verdict = 'accept' | 'reject';
interface Case {
  name: string;
  token: (issuer: LocalIssuer) => string;
  jwt: Verdict;
  sdk: Verdict;
}

/**
 * The same catalogue through both verification modes. Where they differ, the difference is a documented defect of
 * @scalekit-sdk/node 2.11 that the default mode does not inherit.
 */
const catalogue: Case[] = [
  {
    name: 'valid, aud [resource, res_id], scopes array',
    token: (i) => i.mintToken({ audience: [RESOURCE, RESOURCE_ID], scopes: ['todo:read'] }),
    jwt: 'accept',
    sdk: 'accept',
  },
  {
    name: 'valid, aud res_id only',
    token: (i) => i.mintToken({ audience: RESOURCE_ID }),
    jwt: 'accept',
    sdk: 'accept',
  },
  {
    name: 'valid, iss = environment URL',
    token: (i) => i.mintToken({ audience: RESOURCE, issuer: i.url }),
    jwt: 'accept',
    sdk: 'accept',
  },
  {
    name: 'valid, scope as a string',
    token: (i) => i.mintToken({ audience: RESOURCE, scopes: ['todo:read'], scopeClaim: 'scope' }),
    jwt: 'accept',
    sdk: 'accept',
  },
  {
    name: 'expired 2 minutes ago',
    token: (i) => i.mintToken({ audience: RESOURCE, expiresIn: -120 }),
    jwt: 'reject',
    sdk: 'reject',
  },
  {
    name: 'expired 5 s ago (within clock tolerance; SDK has none)',
    token: (i) => i.mintToken({ audience: RESOURCE, expiresIn: -5 }),
    jwt: 'accept',
    sdk: 'reject',
  },
  {
    name: 'nbf 2 minutes ahead',
    token: (i) => i.mintToken({ audience: RESOURCE, notBefore: 120 }),
    jwt: 'reject',
    sdk: 'reject',
  },
  {
    name: 'iat 2 minutes ahead (SDK does not check iat)',
    token: (i) => i.mintToken({ audience: RESOURCE, issuedAt: 120 }),
    jwt: 'reject',
    sdk: 'accept',
  },
  {
    name: 'no exp',
    token: (i) => i.mintToken({ audience: RESOURCE, claims: { exp: undefined } }),
    jwt: 'reject',
    sdk: 'reject',
  },
  {
    name: 'no sub',
    token: (i) => i.mintToken({ audience: RESOURCE, claims: { sub: undefined } }),
    jwt: 'reject',
    sdk: 'reject',
  },
  {
    name: 'wrong audience',
    token: (i) => i.mintToken({ audience: 'https://other.example.com/mcp' }),
    jwt: 'reject',
    sdk: 'reject',
  },
  { name: 'no audience', token: (i) => i.mintToken({}), jwt: 'reject', sdk: 'reject' },
  {
    name: 'wrong issuer',
    token: (i) => i.mintToken({ audience: RESOURCE, issuer: 'https://evil.example.com' }),
    jwt: 'reject',
    sdk: 'reject',
  },
  {
    name: 'unknown kid',
    token: (i) => i.mintToken({ audience: RESOURCE, header: { kid: 'unknown' } }),
    jwt: 'reject',
    sdk: 'reject',
  },
  {
    name: 'alg none',
    token: (i) =>
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${i.mintToken({ audience: RESOURCE }).split('.')[1]}.`,
    jwt: 'reject',
    sdk: 'reject',
  },
  {
    name: 'signature of another token',
    token: (i) => {
      const [header, payload] = i.mintToken({ audience: RESOURCE, subject: 'mallory' }).split('.');
      return `${header}.${payload}.${i.mintToken({ audience: RESOURCE }).split('.')[2]}`;
    },
    jwt: 'reject',
    sdk: 'reject',
  },
  { name: 'garbage', token: () => 'abc.def.ghi', jwt: 'reject', sdk: 'reject' },
];

async function verdict(verifier: TokenVerifier, token: string): Promise<Verdict> {
  return verifier.verify(token).then(
    () => 'accept',
    () => 'reject',
  );
}

/** Both verifiers, each with empty key caches, from the options an app would pass. */
async function verifiersFor(issuer: LocalIssuer): Promise<{ jwtMode: TokenVerifier; sdkMode: TokenVerifier }> {
  const base = {
    resource: RESOURCE,
    scalekit: { environmentUrl: issuer.url, resourceId: RESOURCE_ID, clientId: 'skc_dummy', clientSecret: 'dummy' },
  };
  return {
    jwtMode: await moduleVerifier(resolveMcpOAuthOptions(base)),
    sdkMode: await moduleVerifier(resolveMcpOAuthOptions({ ...base, verifier: 'scalekit-sdk' })),
  };
}

describe('Scalekit preset: jwt mode and scalekit-sdk mode on the same token catalogue', () => {
  let issuer: LocalIssuer;
  let jwtMode: TokenVerifier;
  let sdkMode: TokenVerifier;

  beforeAll(async () => {
    issuer = await LocalIssuer.start({ scalekitResourceId: RESOURCE_ID });
    ({ jwtMode, sdkMode } = await verifiersFor(issuer));
  });
  afterAll(() => issuer.stop());

  it.each(catalogue)('$name: jwt $jwt, sdk $sdk', async ({ token, jwt, sdk }) => {
    const minted = token(issuer);
    expect(await verdict(jwtMode, minted)).toBe(jwt);
    expect(await verdict(sdkMode, minted)).toBe(sdk);
  });

  it('both modes read scopes from every claim form (the SDK alone reads only a `scopes` array)', async () => {
    const token = issuer.mintToken({ audience: RESOURCE, scopes: ['todo:read', 'todo:write'], scopeClaim: 'scope' });
    await expect(jwtMode.verify(token)).resolves.toMatchObject({ scopes: ['todo:read', 'todo:write'] });
    await expect(sdkMode.verify(token)).resolves.toMatchObject({ scopes: ['todo:read', 'todo:write'] });
  });

  it('after a key rotation the default mode accepts the new key; the SDK keeps its first key set until restart', async () => {
    const { jwtMode, sdkMode } = await verifiersFor(issuer);
    const before = issuer.mintToken({ audience: RESOURCE });
    expect(await verdict(jwtMode, before)).toBe('accept');
    expect(await verdict(sdkMode, before)).toBe('accept');
    issuer.rotateKeys({ keepPrevious: false });
    const after = issuer.mintToken({ audience: RESOURCE });
    expect(await verdict(jwtMode, after)).toBe('accept');
    expect(await verdict(sdkMode, after)).toBe('reject');
  });
});
