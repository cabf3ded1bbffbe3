// Section 4b: what McpOAuthModule.forRoot adds to app start-up: NestFactory.create + init of a minimal module
// (one controller) with and without it. Warm: in this process, modules already loaded. Cold: a fresh node process
// per round, timing the imports too (what `node main.js` pays).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { importLib, median, progress } from './util.mjs';

/** The module without the library: one controller (decorators applied as functions: this is plain JavaScript). */
export async function buildPlainModule() {
  await import('reflect-metadata');
  const { Controller, Get, Module } = await import('@nestjs/common');
  class PingController {
    ping() {
      return { ok: true };
    }
  }
  Get()(PingController.prototype, 'ping', Object.getOwnPropertyDescriptor(PingController.prototype, 'ping'));
  Controller('ping')(PingController);
  class WithoutAuthModule {}
  Module({ controllers: [PingController] })(WithoutAuthModule);
  return { module: WithoutAuthModule, controller: PingController };
}

/** The two root modules: the plain one, and the same controller with McpOAuthModule.forRoot. */
export async function buildModules(issuerUrl) {
  const { Module } = await import('@nestjs/common');
  const { McpOAuthModule } = await importLib();
  const plain = await buildPlainModule();
  class WithAuthModule {}
  Module({
    imports: [
      McpOAuthModule.forRoot({
        resource: 'http://127.0.0.1:3000/mcp',
        scalekit: { environmentUrl: issuerUrl, resourceId: 'res_bench', clientId: 'skc_dummy', clientSecret: 'dummy' },
        scopeHierarchy: { 'todo:write': ['todo:read'] },
      }),
    ],
    controllers: [plain.controller],
  })(WithAuthModule);
  return { with: WithAuthModule, without: plain.module };
}

/** ms for NestFactory.create + app.init (then closed). */
export async function bootOnce(NestFactory, module) {
  const started = performance.now();
  const app = await NestFactory.create(module, { logger: false, abortOnError: false });
  await app.init();
  const elapsed = performance.now() - started;
  await app.close();
  return elapsed;
}

function coldOnce(variant, issuerUrl) {
  const script = fileURLToPath(new URL('./boot-child.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, variant, issuerUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`boot child (${variant}) exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

export async function runBootBench({ warmRounds, coldRounds }) {
  const { LocalIssuer } = await importLib('testing');
  const { NestFactory } = await import('@nestjs/core');
  // The issuer is never called at boot (keys are fetched lazily); it only makes the options realistic.
  const issuer = await LocalIssuer.start({ scalekitResourceId: 'res_bench' });
  try {
    const modules = await buildModules(issuer.url);
    const firstInProcess = {
      with: await bootOnce(NestFactory, modules.with),
      without: await bootOnce(NestFactory, modules.without),
    };
    for (let index = 0; index < 3; index += 1) {
      await bootOnce(NestFactory, modules.without);
      await bootOnce(NestFactory, modules.with);
    }
    const warm = { with: [], without: [], added: [] };
    for (let round = 0; round < warmRounds; round += 1) {
      const order = round % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
      const got = {};
      for (const variant of order) got[variant] = await bootOnce(NestFactory, modules[variant]);
      warm.with.push(got.with);
      warm.without.push(got.without);
      warm.added.push(got.with - got.without);
    }
    progress(
      `boot warm (${warmRounds} rounds): with ${median(warm.with).toFixed(2)} ms, without ${median(warm.without).toFixed(2)} ms`,
    );

    const cold = { with: [], without: [], added: [], withImport: [], withoutImport: [], sdkImport: [] };
    for (let round = 0; round < coldRounds; round += 1) {
      const order = round % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
      const got = {};
      for (const variant of order) got[variant] = await coldOnce(variant, issuer.url);
      cold.with.push(got.with.total);
      cold.without.push(got.without.total);
      cold.withImport.push(got.with.imports);
      cold.withoutImport.push(got.without.imports);
      cold.added.push(got.with.total - got.without.total);
      cold.sdkImport.push((await coldOnce('sdk', issuer.url)).total);
      progress(
        `boot cold round ${round + 1}/${coldRounds}: with ${got.with.total.toFixed(1)} ms (imports ${got.with.imports.toFixed(1)}), without ${got.without.total.toFixed(1)} ms (imports ${got.without.imports.toFixed(1)})`,
      );
    }
    if (issuer.jwksRequests !== 0) throw new Error('boot fetched signing keys: they must be fetched lazily');
    return {
      firstInProcess,
      warm: { with: median(warm.with), without: median(warm.without), added: median(warm.added), rounds: warmRounds },
      cold: {
        with: median(cold.with),
        without: median(cold.without),
        added: median(cold.added),
        withImports: median(cold.withImport),
        withoutImports: median(cold.withoutImport),
        sdkImport: median(cold.sdkImport),
        rounds: coldRounds,
      },
    };
  } finally {
    await issuer.stop();
  }
}
