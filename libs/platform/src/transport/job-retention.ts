/** Finished jobs are kept briefly for inspection, then trimmed so Redis does not grow. */
export const KEEP_JOBS = {
  removeOnComplete: { age: 3600, count: 2000 },
  removeOnFail: { age: 86_400, count: 5000 },
} as const;
