// One cold start, in a fresh process: imports (Nest, the library when used) + NestFactory.create + init.
// Usage: node bench/lib/boot-child.mjs with|without|sdk <issuer url>. Prints one JSON line { imports, total } in ms.
// `sdk`: Nest and jose loaded first, then only `import('@scalekit-sdk/node')` is timed (what createScalekitClient
// costs on a cold start).
const [variant, issuerUrl] = process.argv.slice(2);
if (variant === 'sdk') {
  await import('@nestjs/core');
  await import('@nestjs/platform-express');
  await import('jose');
  const before = performance.now();
  await import('@scalekit-sdk/node');
  const elapsed = performance.now() - before;
  process.stdout.write(`${JSON.stringify({ imports: elapsed, total: elapsed })}\n`);
  process.exit(0);
}
const started = performance.now();
const { buildModules, buildPlainModule, bootOnce } = await import('./boot.mjs');
const { NestFactory } = await import('@nestjs/core');
let modules;
if (variant === 'with') {
  modules = await buildModules(issuerUrl);
} else {
  // Same work minus the library: the module is built without importing nestjs-mcp-oauth.
  modules = { without: (await buildPlainModule()).module };
}
const imported = performance.now();
await bootOnce(NestFactory, modules[variant]);
const total = performance.now() - started;
process.stdout.write(`${JSON.stringify({ imports: imported - started, total })}\n`);
process.exit(0);
