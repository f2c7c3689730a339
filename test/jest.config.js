module.exports = {
  ...require('../jest.preset.js')(__dirname),
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // Docker suites: `npm run test:containers` (test/containers/jest.config.js), not `npm test`;
  // cluster suites: `npm run test:cluster` (test/cluster/jest.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/containers/', '<rootDir>/cluster/'],
};
