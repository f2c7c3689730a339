module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.js'],
  // Starting KODA in Docker takes a while on a small machine.
  testTimeout: 180000,
};
