'use strict';
/**
 * Jest transformer for ESM-only packages (jose 6, @nestjs/common 12) that the test process reaches both through
 * `import` (our ESM code) and through `require()` (CommonJS dependents: @scalekit-sdk/node, @nestjs/throttler).
 * Jest before Node 24.9 cannot require() ES modules, and tells the transformer which loader asks:
 * - `supportsStaticESM` true (import): the file is returned as it is, a real ES module;
 * - false (require): TypeScript down-levels it to CommonJS, with `import.meta.url` rewritten to the CJS equivalent.
 * Jest keys its transform cache on `supportsStaticESM`, and so does getCacheKey here.
 * Plain Node 20.19+ (npm start) needs none of this: it can require(esm).
 */
const { createHash } = require('node:crypto');
const ts = require('typescript');

const COMMONJS = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  allowJs: true,
  inlineSourceMap: true,
};

module.exports = {
  canInstrument: false,
  getCacheKey(sourceText, sourcePath, options) {
    const mode = options && options.supportsStaticESM ? 'esm' : 'cjs';
    return createHash('sha1').update(`v1\0${ts.version}\0${sourcePath}\0${mode}\0`).update(sourceText).digest('hex');
  },
  process(sourceText, sourcePath, options) {
    if (options && options.supportsStaticESM) return { code: sourceText };
    const source = sourceText.replace(/\bimport\.meta\.url\b/g, "require('node:url').pathToFileURL(__filename).href");
    return { code: ts.transpileModule(source, { compilerOptions: COMMONJS, fileName: sourcePath }).outputText };
  },
};
