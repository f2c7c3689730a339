/** Images the suites use: the ones build-images.sh made (overridable like KodaStack's defaults). */
export const KODA_IMAGE = process.env.KODA_IMAGE ?? 'koda:latest';
export const KODA_REDIS_IMAGE = process.env.KODA_REDIS_IMAGE ?? 'koda-redis:7';

// The reaper image cannot be pulled here; every suite removes what it started.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
