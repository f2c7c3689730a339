import type { RunEvent, RunResult } from '@koda/contracts';
import type { KodaError } from './errors';
import { formatConfidence, formatResultMeta } from './format';
import { SYNTHESIS_AGENT, type RunState, type Segment } from './run-state';
import { unreachableHint } from './cli-hints';
import { agentName } from './status';
import type { RunHandlers } from './types';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Renders a run on a terminal: each speaker's text under its name as it streams (a discussion
 * turn per heading), then the result's metadata. Text already printed cannot be taken back,
 * so a node starting over (`retrying`) is announced and printed again from its start.
 */
export class CliPrinter {
  private segmentKey: string | undefined;
  private atLineStart = true;

  constructor(
    private readonly io: CliOutput,
    private readonly baseUrl: string,
  ) {}

  handlers(): RunHandlers {
    return {
      onEvent: (event) => this.onEvent(event),
      onToken: (event, segment) => this.write(segment, event.delta),
      onError: (error) => this.onError(error),
      onReconnect: ({ delayMs }) => this.notice(`(connexion perdue, reprise dans ${delayMs} ms…)`),
    };
  }

  private onEvent(event: RunEvent): void {
    if (event.type === 'routing') this.notice(`Aiguillage : ${event.intent} (${formatConfidence(event.confidence)}) → ${agentName(event.node)}`);
    if (event.type === 'search') this.notice(`Recherche dans les notes : « ${event.query} » (${event.hits} résultat${event.hits > 1 ? 's' : ''})`);
    if (event.type === 'processing' && event.status === 'retrying') {
      this.notice(`(${agentName(event.node)} reprend depuis le début, tentative ${event.attempt ?? '?'})`);
      this.segmentKey = undefined;
    }
  }

  private write(segment: Segment, delta: string): void {
    if (segment.key !== this.segmentKey) {
      this.segmentKey = segment.key;
      this.line();
      this.io.out(`${heading(segment)}\n`);
    }
    this.io.out(delta);
    this.atLineStart = delta.endsWith('\n');
  }

  private onError(error: KodaError): void {
    if (!error.fatal) this.notice(`! ${error.message}`);
  }

  private notice(text: string): void {
    this.line();
    this.io.err(`${text}\n`);
  }

  private line(): void {
    if (!this.atLineStart) this.io.out('\n');
    this.atLineStart = true;
  }

  /** After the run: metadata and cited notes, or the failure; the session id unless `sessionLine` is false. */
  summary(state: RunState, result: RunResult | undefined, failure: KodaError | undefined, options: { sessionLine?: boolean } = {}): void {
    this.line();
    if (result) this.printResult(result, state);
    else if (failure) this.printFailure(failure, state);
    if (state.sessionId && options.sessionLine !== false) this.io.out(`Session : ${state.sessionId}  (pour continuer : --session ${state.sessionId})\n`);
  }

  private printFailure(failure: KodaError, state: RunState): void {
    this.io.err(`\n✗ ${failure.code === 'cancelled' ? 'Réponse interrompue' : 'Échec'} (${failure.code}) : ${failure.message}\n`);
    if (failure.code === 'connection_lost' && !state.runId) this.io.err(`${unreachableHint(this.baseUrl)}\n`);
  }

  private printResult(result: RunResult, state: RunState): void {
    if (!state.segments.length) this.io.out(`${agentName(result.agent_used)}\n${result.response}\n`);
    this.io.out(`\n— ${agentName(result.agent_used)} · ${formatResultMeta(result)}\n`);
    const notes = result.metadata.clickable_objects ?? [];
    if (notes.length === 0) return;
    this.io.out('Notes citées :\n');
    notes.forEach((note, i) => this.io.out(`  ${i + 1}. ${note.title}  ${this.baseUrl}/api/v1/notes/${encodeURIComponent(note.id)}\n`));
  }
}

function heading(segment: Segment): string {
  if (segment.node !== 'discussion') return `${agentName(segment.agent)} ›`;
  if (segment.agent === SYNTHESIS_AGENT) return `── ${agentName(SYNTHESIS_AGENT)} ──`;
  return `── ${agentName(segment.agent)} · tour ${segment.turn ?? '?'} ──`;
}
