// Per-operation self time of two CPU profiles, and where they differ (main thread only; idle excluded).
//   node bench/tools/profile-diff.mjs a.cpuprofile:<ops> b.cpuprofile:<ops> [top]
// <ops> is what the profiled process did (verify-loop.mjs prints ops=, or requests served for an app profile).
import { readFileSync } from 'node:fs';

function load(spec) {
  const at = spec.lastIndexOf(':');
  const [file, ops] = [spec.slice(0, at), Number(spec.slice(at + 1))];
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const time = new Map();
  profile.samples.forEach((id, index) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const self = new Map();
  let busy = 0;
  for (const node of profile.nodes) {
    const us = time.get(node.id) ?? 0;
    if (!us || node.callFrame.functionName === '(idle)') continue;
    busy += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/.*node_modules\//, '').replace(/^.*?\/(libs|dist|bench)\//, '$1/')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
  }
  return { file, ops, busy: busy / ops, perOp: new Map([...self].map(([key, us]) => [key, us / ops])) };
}

const [first, second, top = '20'] = process.argv.slice(2);
const a = load(first);
const b = load(second);
console.log(
  `main-thread busy per op: ${a.busy.toFixed(2)} µs (${a.file}) vs ${b.busy.toFixed(2)} µs (${b.file}): ${(a.busy - b.busy).toFixed(2)} µs`,
);
const keys = new Set([...a.perOp.keys(), ...b.perOp.keys()]);
const rows = [...keys]
  .map((key) => [key, (a.perOp.get(key) ?? 0) - (b.perOp.get(key) ?? 0), a.perOp.get(key) ?? 0, b.perOp.get(key) ?? 0])
  .sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]))
  .slice(0, Number(top));
for (const [key, diff, x, y] of rows)
  console.log(`${diff.toFixed(2).padStart(8)} µs/op  (${x.toFixed(2)} vs ${y.toFixed(2)})  ${key}`);
