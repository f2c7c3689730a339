const path = require('path');
const preset = require('../../jest.preset.js')(path.join(__dirname, '..'));

/**
 * `npm run test:cluster`: the end-to-end suites that hold on any Redis, plus the cluster's own
 * suites (test/cluster), against one throwaway 3-master cluster (global-setup). Every service
 * of every suite runs in cluster mode: the setup exports KODA_REDIS_CLUSTER_NODES.
 */
module.exports = {
  ...preset,
  displayName: 'cluster',
  rootDir: path.join(__dirname, '..'),
  testMatch: ['<rootDir>/cluster/**/*.spec.ts', ...require('./e2e-suites').map((suite) => `<rootDir>/${suite}`)],
  globalSetup: path.join(__dirname, 'global-setup.ts'),
  globalTeardown: path.join(__dirname, 'global-teardown.ts'),
  testTimeout: 60000,
  forceExit: true,
};
