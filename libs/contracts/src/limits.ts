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
} as const;
