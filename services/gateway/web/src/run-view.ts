import type { ChatMode, RunResult, SessionMessage } from '@koda/contracts';
import {
  agentName,
  answerText,
  discussionTurns,
  formatConfidence,
  formatCost,
  formatDuration,
  formatInteger,
  isEnded,
  SYNTHESIS_AGENT,
  type KodaError,
  type RunState,
  type Segment,
} from '@koda/client';
import { answerActions } from './answer-actions';
import { createBubble, notesList, replaceOnce, setBody, titleOf, type Bubble, type OpenNote } from './bubble';
import { el, formatTime } from './dom';
import { describeError } from './error-text';

/**
 * One answer in the conversation, drawn from a run's state: a bubble per discussion turn, then
 * the answer (or synthesis) with its metadata, cited notes and any error. `render` is called
 * on every update and only touches what changed.
 */
export class RunView {
  readonly root: HTMLLIElement = el('li', { className: 'message message--agent', attrs: { 'aria-busy': 'true' } });
  private readonly turns = new Map<string, Bubble>();
  private answer: Bubble | undefined;

  /**
   * `modeHint`: the mode asked for, to name the agent before the run says it (or if it never does).
   * `retry`: asks the same question again; offered once the answer failed or was stopped.
   */
  constructor(
    private readonly openNote: OpenNote,
    private readonly modeHint?: ChatMode,
    private readonly retry?: () => void,
  ) {}

  render(state: RunState, failure?: KodaError): void {
    this.renderTurns(discussionTurns(state), isEnded(state));
    this.renderAnswer(state, failure);
    this.root.setAttribute('aria-busy', String(!isEnded(state) && !failure));
  }

  /** An answer read back from the session log (its metrics, when the log kept them). */
  static fromHistory(message: SessionMessage, openNote: OpenNote, retry?: () => void): RunView {
    const view = new RunView(openNote);
    const agent = message.agent ?? 'plume';
    const finished = !message.status || message.status === 'complete';
    const bubble = view.answerBubble(agent === 'discussion' ? SYNTHESIS_AGENT : agent, agent === 'discussion' ? discussionTitle(finished) : agentName(agent));
    setBody(bubble, message.content);
    const status =
      message.status && message.status !== 'complete'
        ? el('p', { className: 'bubble__error', text: describeError({ code: message.status === 'cancelled' ? 'cancelled' : 'agent_failed', message: '' }) })
        : null;
    const metrics = message.metrics ? metaOf(message.metrics) : null;
    const actions = answerActions({ copyText: message.content, retry: finished ? undefined : retry });
    bubble.foot.replaceChildren(
      ...[
        status,
        metrics,
        notesList(message.clickable_objects ?? [], openNote),
        actions,
        el('time', { className: 'bubble__time', text: formatTime(message.timestamp), attrs: { datetime: message.timestamp } }),
      ].filter((n): n is HTMLElement => !!n),
    );
    view.root.setAttribute('aria-busy', 'false');
    return view;
  }

  private renderTurns(turns: Segment[], ended: boolean): void {
    const keys = new Set(turns.map((t) => t.key));
    // A node starting over (`retrying`) drops its turns: so do we.
    for (const [key, bubble] of this.turns) {
      if (keys.has(key)) continue;
      bubble.root.remove();
      this.turns.delete(key);
    }
    for (const turn of turns) {
      const bubble = this.turns.get(turn.key) ?? this.addTurn(turn);
      setBody(bubble, turn.text);
      bubble.root.classList.toggle('is-streaming', !turn.final && !ended);
    }
  }

  private addTurn(turn: Segment): Bubble {
    const bubble = createBubble(turn.agent, titleOf(turn.agent, turn.turn));
    bubble.root.classList.add('bubble--turn');
    this.turns.set(turn.key, bubble);
    this.root.insertBefore(bubble.root, this.answer?.root ?? null);
    return bubble;
  }

  private renderAnswer(state: RunState, failure: KodaError | undefined): void {
    const text = answerText(state);
    const ended = isEnded(state) || !!failure;
    if (!text && !ended) return this.answer?.root.remove();
    const agent = answerAgent(state, this.modeHint);
    const bubble = this.answerBubble(agent, agent === SYNTHESIS_AGENT ? discussionTitle(!!text) : agentName(agent));
    setBody(bubble, text);
    bubble.root.classList.toggle('is-streaming', !ended);
    replaceOnce(bubble.head, `${agent}|${!!text}|${state.routing?.intent}|${state.searches.length}`, () => headOf(agent, state, !!text));
    this.renderFoot(bubble, state, failure);
  }

  private answerBubble(agent: string, title: string): Bubble {
    if (this.answer?.root.dataset.agent !== agent) {
      const bubble = createBubble(agent, title);
      bubble.root.classList.add('bubble--answer');
      this.answer?.root.replaceWith(bubble.root);
      if (!bubble.root.isConnected) this.root.append(bubble.root);
      this.answer = bubble;
    }
    return this.answer;
  }

  private renderFoot(bubble: Bubble, state: RunState, failure: KodaError | undefined): void {
    const error = state.error ?? failure;
    const key = `${state.result?.run_id}|${state.warnings.length}|${error?.code}|${error?.message}|${!!this.retry}`;
    replaceOnce(bubble.foot, key, () => {
      const parts = [
        ...state.warnings.map((w) =>
          el('p', { className: 'bubble__warning', text: `${agentName(w.node ?? 'plume')} reprend depuis le début (${describeError(w)})` }),
        ),
        state.result ? metaOf(state.result) : null,
        state.result ? notesList(state.result.metadata.clickable_objects ?? [], this.openNote) : null,
        error
          ? el('p', {
              className: `bubble__error${error.code === 'cancelled' ? ' bubble__error--cancelled' : ''}`,
              text: describeError(error),
              attrs: { role: 'alert' },
            })
          : null,
        answerActions({ copyText: state.result?.response ?? (error ? answerText(state) : undefined), retry: error ? this.retry : undefined }),
      ];
      return el('div', { className: 'bubble__foot-inner' }, parts);
    });
  }
}

/** Who the answer bubble speaks for: the result's agent, else the routed node, else the chosen mode. */
function answerAgent(state: RunState, modeHint: ChatMode | undefined): string {
  const mode = state.mode ?? modeHint;
  const node = state.result?.agent_used ?? state.routing?.node ?? (mode && mode !== 'auto' ? mode : state.segments[0]?.node);
  return node === 'discussion' ? SYNTHESIS_AGENT : (node ?? 'koda');
}

/** A discussion stopped before its synthesis has no synthesis to title. */
const discussionTitle = (hasSynthesis: boolean) => (hasSynthesis ? 'Discussion · synthèse' : 'Discussion');

function headOf(agent: string, state: RunState, hasText: boolean): HTMLElement {
  const title = agent === SYNTHESIS_AGENT ? discussionTitle(hasText) : agent === 'koda' ? 'KODA' : agentName(agent);
  const routing = state.routing
    ? el('span', { className: 'bubble__route', text: `auto → ${state.routing.intent} (${formatConfidence(state.routing.confidence)})` })
    : null;
  const search = state.searches.at(-1);
  const searched = search
    ? el('span', { className: 'bubble__route', text: `${search.hits} note${search.hits > 1 ? 's' : ''} trouvée${search.hits > 1 ? 's' : ''}` })
    : null;
  return el('div', { className: 'bubble__head-inner' }, [
    el('span', { className: `badge badge--${agent === 'koda' ? 'other' : agent}`, text: title }),
    routing,
    searched,
  ]);
}

/** Time, tokens and cost of an answer, each with its label. */
function metaOf(result: Pick<RunResult, 'processing_time_ms' | 'tokens_used' | 'input_tokens' | 'output_tokens' | 'cost_eur'>): HTMLElement {
  const item = (label: string, value: string) =>
    el('span', { className: 'meta__item' }, [el('span', { className: 'meta__label', text: label }), document.createTextNode(value)]);
  return el('p', { className: 'bubble__meta' }, [
    item('Temps', formatDuration(result.processing_time_ms)),
    item('Tokens', `${formatInteger(result.tokens_used)} (${formatInteger(result.input_tokens)} entrée / ${formatInteger(result.output_tokens)} sortie)`),
    item('Coût', formatCost(result.cost_eur)),
  ]);
}
