// Profiling target: one verifier in a loop for a fixed time, 64 tokens in flight (or 1 with --x1).
//   node --cpu-prof --cpu-prof-interval 200 --cpu-prof-name default.cpuprofile bench/tools/verify-loop.mjs default RS256
// Variants: jose | default (token cache off) | sdk | sdkMode | cache (library default, repeat tokens). Prints `ops=<n>` (verifications done while timed) for profile-diff.mjs.
import { setUpVerifiers } from '../lib/verify.mjs';

const [variant = 'default', algorithm = 'RS256', ...rest] = process.argv.slice(2);
const seconds = 4;
const { Logger } = await import('@nestjs/common');
Logger.overrideLogger(['error']);
const { tokens, variants, close } = await setUpVerifiers(algorithm);
const verify = variants.find(({ id }) => id === variant)?.verify;
if (!verify) throw new Error(`unknown variant ${variant}; use ${variants.map(({ id }) => id).join(' | ')}`);
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
process.stdout.write(
  `${variant} ${algorithm} ${single ? 'x1' : 'x64'} ops=${ops} (${Math.round(ops / seconds)} ops/s)\n`,
);
await close();
