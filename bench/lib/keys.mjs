// Section 4a: signing-key fetches at steady state and under a flood of tokens naming unknown `kid`s.
import { importLib, moduleVerifier, progress, sleep } from './util.mjs';

const RESOURCE = 'https://mcp.bench.example/mcp';
const RESOURCE_ID = 'res_bench';
const IN_FLIGHT = 64;

/**
 * A token naming a made-up `kid` (header re-encoded, signature left as is: key selection fails before any signature
 * check, so nothing needs signing and the flood costs no RSA work on the attacker's side either).
 */
function unknownKidToken(validToken, index) {
  const [header, payload, signature] = validToken.split('.');
  const decoded = JSON.parse(Buffer.from(header, 'base64url').toString());
  const forged = Buffer.from(JSON.stringify({ ...decoded, kid: `made-up-${index}` })).toString('base64url');
  return `${forged}.${payload}.${signature}`;
}

async function drive(verifier, tokens, isValid) {
  let accepted = 0;
  let rejected = 0;
  let wrong = 0;
  for (let start = 0; start < tokens.length; start += IN_FLIGHT) {
    const slice = tokens.slice(start, start + IN_FLIGHT);
    const outcomes = await Promise.all(
      slice.map((token) =>
        verifier.verify(token).then(
          () => true,
          () => false,
        ),
      ),
    );
    outcomes.forEach((ok, index) => {
      if (ok) accepted += 1;
      else rejected += 1;
      if (ok !== isValid(slice[index])) wrong += 1;
    });
  }
  return { accepted, rejected, wrong };
}

/**
 * Steady state: valid tokens only -> exactly one fetch. Flood A: with the default cooldown (30 s), thousands of
 * unknown-kid tokens mixed with valid ones -> one extra fetch at most. Flood B: a 1 s cooldown and a flood lasting
 * several windows -> at most one fetch per window (counted on the issuer and on RemoteSigningKeys.fetches).
 */
export async function runKeyFloodBench({ floodTokens, windowedSeconds }) {
  const { LocalIssuer } = await importLib('testing');
  const { RemoteSigningKeys, JwtTokenVerifier } = await importLib('verifiers');

  // Steady state and flood A, through the library's default verifier (default cooldown).
  const issuer = await LocalIssuer.start({ scalekitResourceId: RESOURCE_ID });
  const module = await moduleVerifier({
    resource: RESOURCE,
    scalekit: { environmentUrl: issuer.url, resourceId: RESOURCE_ID },
  });
  try {
    const verifier = module.verifier;
    const valid = Array.from({ length: IN_FLIGHT }, (_, index) =>
      issuer.mintToken({ subject: `user-${index}`, audience: [RESOURCE, RESOURCE_ID], expiresIn: 3600 }),
    );
    const validSet = new Set(valid);
    const steadyTokens = Array.from({ length: 2_000 }, (_, index) => valid[index % valid.length]);
    const steady = await drive(verifier, steadyTokens, (token) => validSet.has(token));
    const steadyFetches = issuer.jwksRequests;

    // 1 valid token in 16 keeps flowing during the flood: legitimate callers must not notice it.
    const flood = Array.from({ length: floodTokens }, (_, index) =>
      index % 16 === 0 ? valid[index % valid.length] : unknownKidToken(valid[0], index),
    );
    const floodStarted = performance.now();
    const floodA = await drive(verifier, flood, (token) => validSet.has(token));
    const floodSeconds = (performance.now() - floodStarted) / 1000;
    const floodAFetches = issuer.jwksRequests - steadyFetches;
    progress(
      `keys: steady ${steadyTokens.length} valid -> ${steadyFetches} fetch(es); flood A ${flood.length} tokens ` +
        `(${floodA.rejected} unknown kid) in ${floodSeconds.toFixed(2)}s -> +${floodAFetches} fetch(es), wrong verdicts ${floodA.wrong + steady.wrong}`,
    );

    // Flood B: RemoteSigningKeys directly (its own fetch counter), a 1 s cooldown, a flood lasting several windows.
    const issuerB = await LocalIssuer.start({ scalekitResourceId: RESOURCE_ID });
    try {
      const keys = new RemoteSigningKeys(issuerB.jwksUri, { cooldownMs: 1000, maxAgeMs: 600_000, timeoutMs: 5000 });
      const verifierB = new JwtTokenVerifier(keys.getKey, {
        issuers: [issuerB.url, `${issuerB.url}/resources/${RESOURCE_ID}`],
        audiences: [RESOURCE, RESOURCE_ID],
        algorithms: ['RS256'],
        clockToleranceSeconds: 30,
      });
      const validB = issuerB.mintToken({ audience: [RESOURCE, RESOURCE_ID], expiresIn: 3600 });
      await verifierB.verify(validB);
      const before = keys.fetches;
      const started = performance.now();
      let index = 0;
      let tokensSent = 0;
      let wrong = 0;
      while (performance.now() - started < windowedSeconds * 1000) {
        const batch = Array.from({ length: IN_FLIGHT }, () => {
          index += 1;
          return index % 16 === 0 ? validB : unknownKidToken(validB, index);
        });
        const outcomes = await Promise.all(
          batch.map((token) =>
            verifierB.verify(token).then(
              () => true,
              () => false,
            ),
          ),
        );
        outcomes.forEach((ok, position) => {
          if (ok !== (batch[position] === validB)) wrong += 1;
        });
        tokensSent += batch.length;
        await sleep(0);
      }
      const elapsed = (performance.now() - started) / 1000;
      const windowed = {
        seconds: elapsed,
        tokens: tokensSent,
        fetches: keys.fetches - before,
        issuerRequests: issuerB.jwksRequests - 1,
        windows: Math.ceil(elapsed / 1),
        wrong,
      };
      progress(
        `keys: flood B ${tokensSent} tokens over ${elapsed.toFixed(2)}s, 1 s cooldown -> +${windowed.fetches} fetch(es) ` +
          `(issuer saw +${windowed.issuerRequests}), ${windowed.windows} window(s), wrong verdicts ${wrong}`,
      );
      return {
        steady: { tokens: steadyTokens.length, fetches: steadyFetches, wrong: steady.wrong },
        floodA: {
          tokens: flood.length,
          unknownKid: floodA.rejected,
          fetches: floodAFetches,
          seconds: floodSeconds,
          wrong: floodA.wrong,
          cooldownSeconds: 30, // the module's default jwksCooldownSeconds
        },
        floodB: windowed,
      };
    } finally {
      await issuerB.stop();
    }
  } finally {
    await module.close();
    await issuer.stop();
  }
}
