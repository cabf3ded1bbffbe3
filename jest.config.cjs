/**
 * Jest 30 in native ESM mode (NestJS 12 is ESM-only): run through `node --experimental-vm-modules`.
 * jose 6 is ESM-only and @scalekit-sdk/node require()s it: ts-jest with `useESM` leaves jose as ESM when it is
 * imported and compiles it to CommonJS when it is required (Jest passes `supportsStaticESM` per load).
 * ts-jest reports no type errors in ESM mode: `npm run typecheck` does.
 */
module.exports = {
  moduleFileExtensions: ['js', 'mjs', 'cjs', 'json', 'ts'],
  rootDir: '.',
  roots: ['<rootDir>/apps/', '<rootDir>/libs/'],
  testRegex: '.*\\.spec\\.ts$',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
    '^.+/node_modules/jose/.+\\.js$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: {
          allowJs: true,
          module: 'commonjs',
          moduleResolution: 'node10',
          ignoreDeprecations: '6.0',
          target: 'es2022',
          isolatedModules: true,
        },
      },
    ],
  },
  transformIgnorePatterns: ['^(?!.*/node_modules/jose/).*/node_modules/'],
  moduleNameMapper: {
    '^nestjs-mcp-oauth$': '<rootDir>/libs/mcp-oauth/src/index.ts',
    '^nestjs-mcp-oauth/testing$': '<rootDir>/libs/mcp-oauth/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/libs/mcp-oauth/dist/'],
};
