// Section 2 and 3: token verification micro-benchmarks (tinybench), in this process, against a LocalIssuer.
// Every verifier checks the same things (signature, alg allow-list, iss, aud, exp/nbf); tokens are Scalekit-shaped.
import { createLocalJWKSet, jwtVerify } from 'jose';
import { Bench } from 'tinybench';
import { importLib, median, moduleVerifier, progress } from './util.mjs';

const RESOURCE = 'https://mcp.bench.example/mcp';
const RESOURCE_ID = 'res_bench';
export const BATCH = 64;

/**
 * The verifiers compared, for one algorithm, each already run over the 64 tokens (key caches filled). Also used by
 * bench/tools/verify-loop.mjs and cpu-per-op.mjs, so every tool measures the same variants.
 */
export async function setUpVerifiers(algorithm) {
  const { LocalIssuer } = await importLib('testing');

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
  // The verifiers the module builds (through its public injection token). Without the cache: what every
  // first-seen token costs. With it (the library default): what repeat tokens cost.
  const libraryDefault = await moduleVerifier({ ...base, tokenCacheMaxEntries: 0 });
  const sdkMode = await moduleVerifier({ ...base, verifier: 'scalekit-sdk', tokenCacheMaxEntries: 0 });
  const cached = await moduleVerifier(base);
  const scalekit = sdkMode.scalekit;

  // Raw jose: the key set fetched once, the same checks the library makes (iss, aud, alg, exp, sub, 30 s tolerance).
  const jwks = createLocalJWKSet(await (await fetch(issuer.jwksUri)).json());
  const issuers = [issuer.url, `${issuer.url}/resources/${RESOURCE_ID}`];
  const audiences = [RESOURCE, RESOURCE_ID];
  const joseOptions = {
    issuer: issuers,
    audience: audiences,
    algorithms: [algorithm],
    clockTolerance: 30,
    requiredClaims: ['exp', 'sub'],
  };
  const sdkValidateOptions = { issuer: issuers, audience: audiences };

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
      verify: (token) => libraryDefault.verifier.verify(token),
    },
    {
      id: 'sdk',
      label: 'raw scalekit.validateToken',
      verify: (token) => scalekit.validateToken(token, sdkValidateOptions),
    },
    {
      id: 'sdkMode',
      label: "library 'scalekit-sdk' mode, token cache off",
      verify: (token) => sdkMode.verifier.verify(token),
    },
    {
      id: 'cache',
      label: 'library default (token cache on), repeat tokens',
      verify: (token) => cached.verifier.verify(token),
    },
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
  if (cached.verifier.size !== BATCH) throw new Error('cache did not keep the 64 tokens');
  const close = async () => {
    await Promise.all([libraryDefault.close(), sdkMode.close(), cached.close()]);
    await issuer.stop();
  };
  return { issuer, tokens, variants, cached: cached.verifier, fetches: () => issuer.jwksRequests, close };
}

/**
 * tinybench, `rounds` rounds; each round runs every task once (order rotated per round to spread drift) and the
 * median ops/s over rounds is kept. "x64" tasks verify 64 tokens with Promise.all: ops/s counts tokens, not batches.
 */
export async function runVerifyBench({ rounds, taskTimeMs, algorithms = ['RS256', 'ES256'] }) {
  const results = {};
  for (const algorithm of algorithms) {
    const { tokens, variants, cached, fetches, close } = await setUpVerifiers(algorithm);
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
      await close();
    }
  }
  return results;
}
