// CPU time per verification (process.cpuUsage: every thread, so WebCrypto work on the libuv pool counts too).
// Steadier than ops/s on a shared VM: thread-pool wake-up latency moves wall time much more than CPU time.
//   node bench/tools/cpu-per-op.mjs
import { createLocalJWKSet, jwtVerify } from 'jose';
import { importLib, median } from '../lib/util.mjs';

const { Logger } = await import('@nestjs/common');
Logger.overrideLogger(['error']);
const { LocalIssuer } = await importLib('testing/index.js');
const { resolveMcpOAuthOptions } = await importLib('index.js');
const { createTokenVerifier } = await importLib('verify/create-token-verifier.js');
const { createScalekitClient } = await importLib('verify/create-scalekit-client.js');

for (const algorithm of ['RS256', 'ES256']) {
  const issuer = await LocalIssuer.start({ algorithm, scalekitResourceId: 'res_bench' });
  const resource = 'https://mcp.bench.example/mcp';
  const options = resolveMcpOAuthOptions({
    resource,
    scalekit: { environmentUrl: issuer.url, resourceId: 'res_bench', clientId: 'skc_dummy', clientSecret: 'dummy' },
    algorithms: [algorithm],
  });
  const verifier = createTokenVerifier(options, null);
  const scalekit = await createScalekitClient(options);
  const jwks = createLocalJWKSet(await (await fetch(issuer.jwksUri)).json());
  const joseOptions = { issuer: options.issuers, audience: options.audiences, algorithms: options.algorithms, clockTolerance: 30, requiredClaims: ['exp', 'sub'] };
  const tokens = Array.from({ length: 64 }, (_, index) =>
    issuer.mintToken({ subject: `user-${index}`, audience: [resource, 'res_bench'], scopes: ['todo:read'], expiresIn: 3600 }),
  );
  const variants = {
    jose: (token) => jwtVerify(token, jwks, joseOptions),
    default: (token) => verifier.verify(token),
    sdk: (token) => scalekit.validateToken(token, { issuer: options.issuers, audience: options.audiences }),
  };
  for (const verify of Object.values(variants)) await Promise.all(tokens.map(verify));
  for (const inFlight of [1, 64]) {
    const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
    for (let round = 0; round < 24; round += 1) {
      for (const name of Object.keys(variants).sort(() => Math.random() - 0.5)) {
        const verify = variants[name];
        const before = process.cpuUsage();
        const started = performance.now();
        let ops = 0;
        while (performance.now() - started < 80) {
          if (inFlight === 1) await verify(tokens[ops++ & 63]);
          else ops += (await Promise.all(tokens.map(verify))).length;
        }
        const used = process.cpuUsage(before);
        samples[name].push((used.user + used.system) / ops);
      }
    }
    const cpu = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
    console.log(
      `${algorithm} ${inFlight === 1 ? '1 at a time ' : '64 in flight'}  CPU µs/op: ` +
        Object.entries(cpu).map(([name, us]) => `${name} ${us.toFixed(1)}`).join(', ') +
        `  | default/jose ${(cpu.default / cpu.jose).toFixed(3)}, sdk/default ${(cpu.sdk / cpu.default).toFixed(2)}`,
    );
  }
  await issuer.stop();
}
