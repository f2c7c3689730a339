export { OfflineProvider, OFFLINE_MODEL, type OfflineProviderOptions } from './offline-provider';
export { composeAnswer } from './compose-answer';
export { CONSENSUS_MARKER, stanceOf, type Stance } from './discussion-answer';
export { detectLanguage, type Lang } from './language';
export { extractiveSummary, keySentence, topKeywords } from './summarize';
export { splitSentences } from './sentences';
export { reformulate } from './reformulate';
export { CHARS_PER_TOKEN, estimateTokens, estimateUsage } from './token-count';
