// CPU time per verification (process.cpuUsage: every thread, so WebCrypto work on the libuv pool counts too).
// Steadier than ops/s on a shared VM: thread-pool wake-up latency moves wall time much more than CPU time.
//   node bench/tools/cpu-per-op.mjs
import { median } from '../lib/util.mjs';
import { setUpVerifiers } from '../lib/verify.mjs';

const { Logger } = await import('@nestjs/common');
Logger.overrideLogger(['error']);

for (const algorithm of ['RS256', 'ES256']) {
  // `default` is the library verifier with its token cache off: the cost of a first-seen token.
  const { tokens, variants: all, close } = await setUpVerifiers(algorithm);
  const variants = Object.fromEntries(
    all.filter(({ id }) => ['jose', 'default', 'sdk'].includes(id)).map(({ id, verify }) => [id, verify]),
  );
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
        Object.entries(cpu)
          .map(([name, us]) => `${name} ${us.toFixed(1)}`)
          .join(', ') +
        `  | default/jose ${(cpu.default / cpu.jose).toFixed(3)}, sdk/default ${(cpu.sdk / cpu.default).toFixed(2)}`,
    );
  }
  await close();
}
