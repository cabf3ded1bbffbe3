/**
 * Jest 30 in native ESM mode (NestJS 12 is ESM-only): run through `node --experimental-vm-modules`.
 * jose 6 and @nestjs/common, core, microservices, platform-fastify 12 are ESM-only, and CommonJS packages require() them
 * (@scalekit-sdk/node requires jose; @nestjs/throttler, @nest-lab/throttler-storage-redis and @rekog/mcp-nest require Nest); Jest cannot require ESM before Node 24.9: see
 * test/jest/esm-or-cjs.transformer.cjs. Plain Node 20.19+ needs none of this: it can require(esm).
 * ts-jest reports no type errors in ESM mode: `npm run typecheck` does.
 * A passing test prints nothing: test/jest/console-guard.ts fails a test on console output nobody captured.
 */
module.exports = {
  moduleFileExtensions: ['js', 'mjs', 'cjs', 'json', 'ts'],
  rootDir: '.',
  roots: ['<rootDir>/apps/', '<rootDir>/libs/', '<rootDir>/test/'],
  testRegex: '.*\\.spec\\.ts$',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
    '^.+/node_modules/(jose|@nestjs/common|@nestjs/core|@nestjs/microservices|@nestjs/platform-fastify)/.+\\.js$':
      '<rootDir>/test/jest/esm-or-cjs.transformer.cjs',
  },
  transformIgnorePatterns: [
    '^(?!.*/node_modules/(jose|@nestjs/common|@nestjs/core|@nestjs/microservices|@nestjs/platform-fastify)/).*/node_modules/',
  ],
  moduleNameMapper: {
    '^nestjs-mcp-oauth$': '<rootDir>/libs/mcp-oauth/src/index.ts',
    '^nestjs-mcp-oauth/testing$': '<rootDir>/libs/mcp-oauth/src/testing/index.ts',
    '^nestjs-mcp-oauth/verifiers$': '<rootDir>/libs/mcp-oauth/src/verify/index.ts',
    '^nestjs-mcp-oauth/mcp-sdk$': '<rootDir>/libs/mcp-oauth/src/mcp-sdk/index.ts',
    '^@nestjs-mcp-oauth/sample-kit$': '<rootDir>/libs/sample-kit/src/index.ts',
    '^@nestjs-mcp-oauth/sample-kit/oauth-client$': '<rootDir>/libs/sample-kit/src/oauth-client.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/libs/mcp-oauth/dist/', '<rootDir>/libs/sample-kit/dist/'],
  setupFilesAfterEnv: ['<rootDir>/test/jest/console-guard.ts'],
};
