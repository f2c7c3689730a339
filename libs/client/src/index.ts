export { KodaClient, type KodaClientOptions, type JoinOptions } from './koda-client';
export type { ChatRequest, FetchLike, RunHandlers, RunHandle, RunOutcome, CancelResult, DropReason, StreamOptions } from './types';
export {
  applyEvent,
  initialRunState,
  isEnded,
  answerText,
  discussionTurns,
  segmentOf,
  segmentKey,
  SYNTHESIS_AGENT,
  type RunState,
  type RunPhase,
  type Segment,
  type RunFailure,
} from './run-state';
export { runStatus, agentName, type RunStatus, type ConnectionState } from './status';
export { KodaHttpError, type KodaError, type ClientErrorCode, type FieldProblem } from './errors';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { compareEventIds, isDuplicateId, isEventId, DONE_DATA, DEFAULT_HEARTBEAT_MS } from './wire';
export { formatCost, formatDuration, formatInteger, formatTokens, formatResultMeta, formatConfidence } from './format';
