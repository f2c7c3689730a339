// Shared Jest settings: SWC (with decorator metadata, which NestJS needs) and
// `@koda/*` imports resolved to sources so tests never run stale builds.
const path = require('path');
const fs = require('fs');
const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));

module.exports = (projectDir) => ({
  displayName: path.relative(__dirname, projectDir),
  rootDir: projectDir,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: {
    '^@koda/llm/testing$': path.join(__dirname, 'libs/llm/testing'),
    '^@koda/(contracts|platform|llm|client|intent|notes)$': path.join(__dirname, 'libs/$1/src'),
    '^@koda/(gateway|orchestrator|agents)$': path.join(__dirname, 'services/$1/src'),
    '^@koda/testing$': path.join(__dirname, 'test/support'),
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The same Redis set-up as `npm test`, so one project's tests run alone too (`nx run-many -t
  // test`, `nx affected -t test`); under the root config it finds the Redis already chosen.
  globalSetup: path.join(__dirname, 'libs/platform/testing/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'libs/platform/testing/global-teardown.ts'),
  testTimeout: 60000,
});
