import type { AgentNode } from '@koda/contracts';
import type { AppendRefusal, AttemptFence } from '@koda/platform';

/** Why an attempt stops without ending the run itself. */
export type StopReason = AppendRefusal | 'lock_lost' | 'shutdown' | 'write_failed';

/** Thrown out of a node whose attempt was stopped (superseded, handed back, log gone…). */
export class AttemptStopped extends Error {
  constructor(
    readonly reason: StopReason,
    override readonly cause?: unknown,
  ) {
    super(`attempt stopped: ${reason}`);
    this.name = 'AttemptStopped';
  }
}

/** Thrown to the transport when a job is handed back to the queue on shutdown. */
export class HandBack extends Error {
  readonly handBack = true;
  constructor() {
    super('handed back on shutdown');
    this.name = 'HandBack';
  }
}

/**
 * One attempt of a node: its fence (the attempt number the run log checks every write
 * against) and the signal that stops its LLM call when the run is cancelled, the log refuses
 * a write, the worker loses the job's lock, or the worker hands the job back on shutdown.
 */
export class AttemptGuard {
  private readonly controller = new AbortController();
  readonly signal: AbortSignal;
  readonly fence: AttemptFence;

  constructor(node: AgentNode, attempt: number, cancel: AbortSignal, job?: AbortSignal) {
    this.fence = { node, attempt };
    this.signal = AbortSignal.any([cancel, this.controller.signal]);
    if (job) {
      const onJobAbort = () => this.stop(job.reason === 'shutdown' ? 'shutdown' : 'lock_lost');
      if (job.aborted) onJobAbort();
      else job.addEventListener('abort', onJobAbort, { once: true });
    }
  }

  get attempt(): number {
    return this.fence.attempt;
  }

  /** The reason this attempt was stopped, if it was. */
  get stopped(): AttemptStopped | null {
    const reason: unknown = this.controller.signal.reason;
    return this.controller.signal.aborted && reason instanceof AttemptStopped ? reason : null;
  }

  stop(reason: StopReason, cause?: unknown): void {
    if (!this.controller.signal.aborted) this.controller.abort(new AttemptStopped(reason, cause));
  }
}
