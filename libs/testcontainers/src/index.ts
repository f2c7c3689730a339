export { KodaStack } from './koda-stack';
export { DEFAULT_IMAGE, DEFAULT_REDIS_IMAGE, type KodaService, type KodaStackOptions } from './options';
export type { RunRecord } from './run-events';
export { waitUntilReady } from './wait-ready';
