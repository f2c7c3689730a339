const path = require('path');

/**
 * `npm run test:containers` (not part of `npm test`: these need a Docker engine and the images
 * built by scripts/containers/build-images.sh). One suite at a time: each starts a whole stack.
 */
const preset = require('../../jest.preset.js')(__dirname);
module.exports = {
  ...preset,
  displayName: 'containers',
  moduleNameMapper: {
    '^@koda/testcontainers$': path.join(__dirname, '../../libs/testcontainers/src'),
    ...preset.moduleNameMapper,
  },
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 240_000,
  maxWorkers: 1,
};
