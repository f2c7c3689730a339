/**
 * The architecture check (`npm run check:architecture`, run by `npm test`): the boundaries the
 * compiler does not see. Services talk through queues and Redis only, never through each
 * other's code; libraries never reach into a service; an agent folder runs inside the runner
 * and publishes through its `NodeContext`, never touching the run log itself.
 */
const AGENT_FOLDER = '^services/agents/src/(?!node/|llm/)[^/]+/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cross-service-imports',
      comment: 'A service imports no other service (its index included): they share only libs/ and talk over queues and Redis.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'no-lib-to-service',
      comment: 'A library never depends on a service.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^services/' },
    },
    {
      name: 'agent-no-run-log',
      comment:
        "An agent folder reaches the platform only through node/agent-platform.ts (no run log, session log or run finisher) and never the runner's internals: its body publishes through NodeContext.",
      severity: 'error',
      from: { path: AGENT_FOLDER },
      to: { path: ['^libs/platform/', '^services/agents/src/node/(agent-node-runner|agent-job|attempt-guard|cancel-signals)\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '(^|/)node_modules/', '\\.spec\\.ts$', '(^|/)testing/', '(^|/)test/'] },
    tsPreCompilationDeps: true,
    // `@koda/*` resolve to the packages' sources (not their builds), so a rule sees the real folder.
    tsConfig: { fileName: 'tsconfig.architecture.json' },
  },
};
