/** The single-Redis end-to-end suites `npm run test:cluster` also runs on the cluster. */
module.exports = [
  'pipeline.spec.ts',
  'run-endings.spec.ts',
  'replicas.spec.ts',
  'notes-e2e.spec.ts',
  'admission.spec.ts',
  'identity.spec.ts',
  'webhooks.spec.ts',
  'original-client.spec.ts',
  'mimir-search-e2e.spec.ts',
  'anthropic-e2e.spec.ts',
  'faults/workers.spec.ts',
  'faults/resume-and-relay.spec.ts',
  'faults/hangups.spec.ts',
  'faults/deadline.spec.ts',
  'doorbell-gaps.spec.ts',
];
