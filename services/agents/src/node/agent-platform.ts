/**
 * The part of the platform an agent folder may use: configuration, logging and Redis
 * connections for what a body needs (e.g. the notes index), and spans of the run's trace for its
 * steps (e.g. each Discussion turn). Not the run log, the session log
 * or the run finisher: a body publishes through its `NodeContext` only. The architecture check
 * (`npm run check:architecture`) refuses any other import of `@koda/platform` from an agent folder.
 */
export { Backoff, createRedis, KODA_CONFIG, LOGGER, REDIS, redisTarget, withSpan, type KodaConfig, type Logger } from '@koda/platform';
