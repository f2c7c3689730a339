/** Input limits, enforced by the gateway before anything is enqueued. Documented in the README. */
export const LIMITS = {
  messageMaxChars: 32_000,
  /** Body limit for JSON requests; larger bodies answer 413. */
  bodyMaxBytes: 256 * 1024,
  noteTitleMaxChars: 300,
  noteContentMaxChars: 100_000,
  noteTagsMax: 20,
  noteTagMaxChars: 64,
  sessionIdMaxChars: 128,
  webhookUrlMaxChars: 2048,
  /** An `Idempotency-Key` header: 1 to this many printable ASCII characters. */
  idempotencyKeyMaxChars: 255,
  /** JSON bodies nested deeper than this answer 400 (a parser's recursion is not an attack surface). */
  jsonMaxDepth: 32,
  /** JSON bodies with more object keys than this, in all, answer 400. */
  jsonMaxKeys: 1000,
} as const;

/**
 * What an id in a URL or a body may look like (run, session, note): letters, digits and
 * `_ . : -`, 1 to 128 of them. Nothing else reaches a Redis key: no `{`/`}` to break a run's
 * hash tag, no `*` for a pattern, no whitespace or control characters for a log line.
 */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
