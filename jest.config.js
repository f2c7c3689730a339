const path = require('path');

/** `npm test`: every project's tests, against one Redis found once (see global-setup). */
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/services/*/jest.config.js', '<rootDir>/test/jest.config.js', '<rootDir>/bench/jest.config.js'],
  globalSetup: path.join(__dirname, 'libs/platform/testing/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'libs/platform/testing/global-teardown.ts'),
  testTimeout: 60000,
  // The suites start real servers, processes and Redis connections and close them; should one
  // ever leak a handle, CI must still end (the leak shows as Jest's "did not exit" warning).
  forceExit: true,
};
