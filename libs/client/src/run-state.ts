import type { AgentNode, ChatMode, ErrorCode, RoutingEvent, RunEvent, RunResult } from '@koda/contracts';
import { isDuplicateId } from './wire';

/** The text one speaker produced in one turn: a node's answer, or one discussion turn. */
export interface Segment {
  /** `node/agent/turn`: tokens and `agent_message` of one turn share it. */
  key: string;
  node: AgentNode;
  /** The persona speaking (`plume`, `mimir`, `synthesis`…), or the node itself. */
  agent: string;
  turn?: number;
  text: string;
  /** The turn's `agent_message` arrived: `text` is its authoritative content. */
  final: boolean;
}

/** Where a run stands, as far as its events say. */
export type RunPhase = 'starting' | 'routing' | 'thinking' | 'writing' | 'complete' | 'failed' | 'cancelled';

export interface RunFailure {
  code: ErrorCode;
  message: string;
  node?: AgentNode;
}

/**
 * Everything a UI needs to draw a run, folded from its events by `applyEvent`. Plain JSON, so
 * a page can keep it (with `lastEventId`, which it reflects exactly) and resume after a reload.
 */
export interface RunState {
  runId?: string;
  sessionId?: string;
  mode?: ChatMode;
  message?: string;
  /** Id of the last event applied: resume after it. */
  lastEventId?: string;
  phase: RunPhase;
  routing?: Pick<RoutingEvent, 'intent' | 'confidence' | 'node' | 'classifier'>;
  /** Who is at work now (a node, or a discussion persona). */
  activeAgent?: string;
  segments: Segment[];
  searches: { query: string; hits: number }[];
  /** Non-fatal errors (a retry after an LLM overload, a lost worker). */
  warnings: RunFailure[];
  result?: RunResult;
  error?: RunFailure;
}

export const initialRunState = (runId?: string): RunState => ({ runId, phase: 'starting', segments: [], searches: [], warnings: [] });

export const isEnded = (state: RunState): boolean => state.phase === 'complete' || state.phase === 'failed' || state.phase === 'cancelled';

/** Folds one event into the state (pure: returns a new state). Unknown event types are kept as seen only. */
export function applyEvent(state: RunState, event: RunEvent, id?: string): RunState {
  // The gateway did not know the id we resumed from: the whole run follows, so start afresh.
  if (event.type === 'reset') return { ...initialRunState(state.runId ?? event.run_id), sessionId: state.sessionId, mode: state.mode, message: state.message };
  if (isDuplicateId(id, state.lastEventId)) return state;
  const next = { ...state, lastEventId: id ?? state.lastEventId };
  switch (event.type) {
    case 'start':
      return {
        ...next,
        runId: event.run_id,
        sessionId: event.session_id,
        mode: event.mode,
        message: event.message,
        phase: event.mode === 'auto' ? 'routing' : 'thinking',
        activeAgent: event.mode === 'auto' ? undefined : event.mode,
      };
    case 'routing':
      return {
        ...next,
        routing: { intent: event.intent, confidence: event.confidence, node: event.node, classifier: event.classifier },
        activeAgent: event.node,
        phase: 'thinking',
      };
    case 'processing':
      return applyProcessing(next, event.node, event.status);
    case 'token':
      return {
        ...next,
        phase: 'writing',
        activeAgent: event.agent ?? event.node,
        segments: appendToSegment(next.segments, event.node, event.agent, event.turn, event.delta),
      };
    case 'agent_message':
      return { ...next, segments: settleSegment(next.segments, event.node, event.agent, event.turn, event.content) };
    case 'search':
      return { ...next, searches: [...next.searches, { query: event.query, hits: event.hits }] };
    case 'error':
      return applyError(next, { code: event.code, message: event.message, node: event.node }, event.fatal);
    case 'complete':
      return { ...next, phase: 'complete', result: event.result, activeAgent: undefined };
    default:
      return next;
  }
}

function applyProcessing(state: RunState, node: AgentNode, status: string): RunState {
  if (status === 'started') return { ...state, phase: 'thinking', activeAgent: node };
  // The node starts over: its earlier tokens are superseded, so they must not be shown.
  if (status === 'retrying') return { ...state, phase: 'thinking', activeAgent: node, segments: state.segments.filter((s) => s.node !== node) };
  return state;
}

function applyError(state: RunState, failure: RunFailure, fatal: boolean): RunState {
  if (!fatal) return { ...state, warnings: [...state.warnings, failure] };
  return { ...state, phase: failure.code === 'cancelled' ? 'cancelled' : 'failed', error: failure, activeAgent: undefined };
}

export const segmentKey = (node: string, agent: string | undefined, turn: number | undefined): string => `${node}/${agent ?? node}/${turn ?? 0}`;

function appendToSegment(segments: Segment[], node: AgentNode, agent: string | undefined, turn: number | undefined, delta: string): Segment[] {
  const key = segmentKey(node, agent, turn);
  const found = segments.find((s) => s.key === key);
  if (!found) return [...segments, { key, node, agent: agent ?? node, turn, text: delta, final: false }];
  // Tokens after a turn's agent_message would be a producer bug; the settled content wins.
  return found.final ? segments : segments.map((s) => (s === found ? { ...s, text: s.text + delta } : s));
}

function settleSegment(segments: Segment[], node: AgentNode, agent: string, turn: number, content: string): Segment[] {
  const key = segmentKey(node, agent, turn);
  const settled: Segment = { key, node, agent, turn, text: content, final: true };
  return segments.some((s) => s.key === key) ? segments.map((s) => (s.key === key ? settled : s)) : [...segments, settled];
}

/** The segment a token event wrote to, for `onToken`. */
export function segmentOf(state: RunState, node: string, agent?: string, turn?: number): Segment | undefined {
  return state.segments.find((s) => s.key === segmentKey(node, agent, turn));
}

/** A discussion's turns (not its synthesis), in order. */
export function discussionTurns(state: RunState): Segment[] {
  return state.segments.filter((s) => s.node === 'discussion' && s.agent !== SYNTHESIS_AGENT);
}

/** The persona name the discussion node gives its closing synthesis. */
export const SYNTHESIS_AGENT = 'synthesis';

/**
 * The answer as it stands: the authoritative `result.response` once complete; before that,
 * the streamed text (a discussion's synthesis, or the answering node's tokens).
 */
export function answerText(state: RunState): string {
  if (state.result) return state.result.response;
  const answer = state.segments.filter((s) => (s.node === 'discussion' ? s.agent === SYNTHESIS_AGENT : true));
  return answer.map((s) => s.text).join('');
}
