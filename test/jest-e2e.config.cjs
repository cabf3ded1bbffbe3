const base = require('../jest.config.cjs');

/** End-to-end suites: real HTTP on 127.0.0.1, ports chosen at run time. */
module.exports = {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/test/'],
  testRegex: '.*\\.e2e-spec\\.ts$',
  testTimeout: 30000,
};
