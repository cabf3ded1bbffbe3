// Section 2 and 3: token verification micro-benchmarks (tinybench), in this process, against a LocalIssuer.
// Every verifier checks the same things (signature, alg allow-list, iss, aud, exp/nbf); tokens are Scalekit-shaped.
import { createLocalJWKSet, jwtVerify } from 'jose';
import { Bench } from 'tinybench';
import { importLib, median, progress } from './util.mjs';

const RESOURCE = 'https://mcp.bench.example/mcp';
const RESOURCE_ID = 'res_bench';
export const BATCH = 64;

/**
 * The verifiers compared, for one algorithm, each already run over the 64 tokens (key caches filled). Also used by
 * bench/tools/verify-loop.mjs and cpu-per-op.mjs, so every tool measures the same variants.
 */
export async function setUpVerifiers(algorithm) {
  const { LocalIssuer } = await importLib('testing/index.js');
  const { resolveMcpOAuthOptions } = await importLib('index.js');
  const { createTokenVerifier } = await importLib('verify/create-token-verifier.js');
  const { createScalekitClient } = await importLib('verify/create-scalekit-client.js');

  const issuer = await LocalIssuer.start({ algorithm, scalekitResourceId: RESOURCE_ID });
  const base = {
    resource: RESOURCE,
    scalekit: {
      environmentUrl: issuer.url,
      resourceId: RESOURCE_ID,
      clientId: 'skc_bench_dummy',
      clientSecret: 'dummy',
    },
    algorithms: [algorithm],
  };
  // Without the cache: what every first-seen token costs. With it (the library default): what repeat tokens cost.
  const options = resolveMcpOAuthOptions({ ...base, tokenCacheMaxEntries: 0 });
  const sdkOptions = resolveMcpOAuthOptions({ ...base, verifier: 'scalekit-sdk', tokenCacheMaxEntries: 0 });
  const scalekit = await createScalekitClient(sdkOptions);
  const libraryDefault = createTokenVerifier(options, null);
  const sdkMode = createTokenVerifier(sdkOptions, scalekit);
  const cached = createTokenVerifier(resolveMcpOAuthOptions(base), null);

  // Raw jose: the key set fetched once, the same checks the library makes (iss, aud, alg, exp, sub, 30 s tolerance).
  const jwks = createLocalJWKSet(await (await fetch(issuer.jwksUri)).json());
  const joseOptions = {
    issuer: options.issuers,
    audience: options.audiences,
    algorithms: options.algorithms,
    clockTolerance: options.clockToleranceSeconds,
    requiredClaims: ['exp', 'sub'],
  };
  const sdkValidateOptions = { issuer: options.issuers, audience: options.audiences };

  // 64 users' tokens; "one at a time" cycles through them, "64 in flight" verifies all of them at once.
  const tokens = Array.from({ length: BATCH }, (_, index) =>
    issuer.mintToken({
      subject: `user-${index}`,
      audience: [RESOURCE, RESOURCE_ID],
      scopes: ['todo:read', 'todo:write'],
      clientId: 'bench-client',
      expiresIn: 3600,
    }),
  );

  const variants = [
    {
      id: 'jose',
      label: 'raw jose.jwtVerify + createLocalJWKSet',
      verify: (token) => jwtVerify(token, jwks, joseOptions),
    },
    {
      id: 'default',
      label: 'library default verifier, token cache off',
      verify: (token) => libraryDefault.verify(token),
    },
    {
      id: 'sdk',
      label: 'raw scalekit.validateToken',
      verify: (token) => scalekit.validateToken(token, sdkValidateOptions),
    },
    { id: 'sdkMode', label: "library 'scalekit-sdk' mode, token cache off", verify: (token) => sdkMode.verify(token) },
    { id: 'cache', label: 'library default (token cache on), repeat tokens', verify: (token) => cached.verify(token) },
  ];
  // Every variant must accept every token (and fill key caches) before anything is timed.
  for (const { id, verify } of variants) {
    for (const token of tokens) {
      const result = await verify(token);
      const subject = result.payload?.sub ?? result.sub ?? result.subject;
      if (typeof subject !== 'string' || !subject.startsWith('user-'))
        throw new Error(`${algorithm} ${id}: unexpected result`);
    }
  }
  if (cached.size !== BATCH) throw new Error('cache did not keep the 64 tokens');
  return { issuer, tokens, variants, cached, fetches: () => issuer.jwksRequests };
}

/**
 * tinybench, `rounds` rounds; each round runs every task once (order rotated per round to spread drift) and the
 * median ops/s over rounds is kept. "x64" tasks verify 64 tokens with Promise.all: ops/s counts tokens, not batches.
 */
export async function runVerifyBench({ rounds, taskTimeMs, algorithms = ['RS256', 'ES256'] }) {
  const results = {};
  for (const algorithm of algorithms) {
    const { issuer, tokens, variants, cached, fetches } = await setUpVerifiers(algorithm);
    try {
      const tasks = [];
      for (const { id, verify } of variants) {
        let next = 0;
        tasks.push({ key: `${id}|1`, inFlight: 1, fn: () => verify(tokens[next++ % BATCH]) });
        tasks.push({ key: `${id}|${BATCH}`, inFlight: BATCH, fn: () => Promise.all(tokens.map(verify)) });
      }
      const samples = new Map(tasks.map((task) => [task.key, []]));
      for (let round = 0; round < rounds; round += 1) {
        // Everything is warm already (setUp verified every token with every variant): a short warm-up per task.
        const bench = new Bench({ time: taskTimeMs, warmupTime: 20, warmupIterations: 4, iterations: 8, throws: true });
        const rotated = tasks.map((_, index) => tasks[(index + round * 3) % tasks.length]);
        for (const task of rotated) bench.add(task.key, task.fn, { async: true });
        await bench.run();
        for (const task of tasks) {
          const result = bench.getTask(task.key).result;
          samples.get(task.key).push((task.inFlight * 1000) / result.period);
        }
        if (round % 4 === 3 || round === rounds - 1) {
          progress(
            `verify ${algorithm} round ${round + 1}/${rounds} (ops/s): ` +
              tasks
                .map((task) => `${task.key.replace('|', ' x')}=${Math.round(samples.get(task.key).at(-1))}`)
                .join(', '),
          );
        }
      }
      // Paired ratios: both sides measured in the same round (seconds apart), then the median over rounds. WebCrypto
      // runs on the libuv thread pool, whose wake-up latency drifts on a VM: pairing cancels most of that drift.
      const pairedRatio = (a, b) => median(samples.get(a).map((value, index) => value / samples.get(b)[index]));
      const ratios = {};
      for (const inFlight of [1, BATCH]) {
        ratios[inFlight] = {
          defaultToJose: pairedRatio(`default|${inFlight}`, `jose|${inFlight}`),
          sdkToJose: pairedRatio(`sdk|${inFlight}`, `jose|${inFlight}`),
          sdkModeToJose: pairedRatio(`sdkMode|${inFlight}`, `jose|${inFlight}`),
          defaultToSdk: pairedRatio(`default|${inFlight}`, `sdk|${inFlight}`),
          cacheToJose: pairedRatio(`cache|${inFlight}`, `jose|${inFlight}`),
        };
      }
      results[algorithm] = {
        labels: Object.fromEntries(variants.map(({ id, label }) => [id, label])),
        opsPerSecond: Object.fromEntries(tasks.map((task) => [task.key, median(samples.get(task.key))])),
        ratios,
        samples: Object.fromEntries(samples),
        jwksRequests: fetches(),
        cache: { hits: cached.hits, misses: cached.misses, size: cached.size },
      };
    } finally {
      await issuer.stop();
    }
  }
  return results;
}
