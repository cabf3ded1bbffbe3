// Profiling target: one verifier in a loop for a fixed time, 64 tokens in flight (or 1 with --x1).
//   node --cpu-prof --cpu-prof-interval 200 --cpu-prof-name default.cpuprofile bench/tools/verify-loop.mjs default RS256
// Variants: jose | default | sdk | cache. Prints `ops=<n>` (verifications done while timed) for profile-diff.mjs.
import { createLocalJWKSet, jwtVerify } from 'jose';
import { importLib } from '../lib/util.mjs';

const [variant = 'default', algorithm = 'RS256', ...rest] = process.argv.slice(2);
const seconds = 4;
const { Logger } = await import('@nestjs/common');
Logger.overrideLogger(['error']);
const { LocalIssuer } = await importLib('testing/index.js');
const { resolveMcpOAuthOptions } = await importLib('index.js');
const { createTokenVerifier } = await importLib('verify/create-token-verifier.js');
const { createScalekitClient } = await importLib('verify/create-scalekit-client.js');
const { VerifiedTokenCache } = await importLib('verify/verified-token-cache.js');

const issuer = await LocalIssuer.start({ algorithm, scalekitResourceId: 'res_bench' });
const resource = 'https://mcp.bench.example/mcp';
const options = resolveMcpOAuthOptions({
  resource,
  scalekit: { environmentUrl: issuer.url, resourceId: 'res_bench', clientId: 'skc_dummy', clientSecret: 'dummy' },
  algorithms: [algorithm],
});
const jwks = createLocalJWKSet(await (await fetch(issuer.jwksUri)).json());
const joseOptions = { issuer: options.issuers, audience: options.audiences, algorithms: options.algorithms, clockTolerance: 30, requiredClaims: ['exp', 'sub'] };
const scalekit = await createScalekitClient(options);
const verifiers = {
  jose: (token) => jwtVerify(token, jwks, joseOptions),
  default: ((verifier) => (token) => verifier.verify(token))(createTokenVerifier(options, null)),
  sdk: (token) => scalekit.validateToken(token, { issuer: options.issuers, audience: options.audiences }),
  cache: ((verifier) => (token) => verifier.verify(token))(new VerifiedTokenCache(createTokenVerifier(options, null))),
};
const verify = verifiers[variant];
if (!verify) throw new Error(`unknown variant ${variant}; use ${Object.keys(verifiers).join(' | ')}`);
const tokens = Array.from({ length: 64 }, (_, index) =>
  issuer.mintToken({ subject: `user-${index}`, audience: [resource, 'res_bench'], scopes: ['todo:read'], expiresIn: 3600 }),
);
await Promise.all(tokens.map(verify));
const single = rest.includes('--x1');
const started = performance.now();
let ops = 0;
while (performance.now() - started < seconds * 1000) {
  if (single) {
    await verify(tokens[ops & 63]);
    ops += 1;
  } else {
    await Promise.all(tokens.map(verify));
    ops += 64;
  }
}
process.stdout.write(`${variant} ${algorithm} ${single ? 'x1' : 'x64'} ops=${ops} (${Math.round(ops / seconds)} ops/s)\n`);
await issuer.stop();
