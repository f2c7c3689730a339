import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { StartEvent } from '@koda/contracts';
import { failRun, inService, KODA_CONFIG, LOGGER, RunEventLog, runLogger, type KodaConfig, type Logger } from '@koda/platform';
import { gatewayErrorEntry } from '../relay/gateway-event';
import { RunStreamRelay } from '../relay/run-stream-relay';
import { runContextOf } from './run-context';

/** Past the deadline, the agent gets this long to end the run itself (it keeps its partial answer). */
const GRACE_MS = 2000;

interface Watch {
  timer: NodeJS.Timeout;
  watchers: number;
}

/**
 * Last line of "every stream ends": while a client watches a run, this gateway ends it with a
 * fatal `timeout` if nothing else has by its deadline (no orchestrator or agent alive, Redis
 * lost a job…). The finish guard makes it a no-op when the run ended, on any replica.
 */
@Injectable()
export class RunWatchdog implements OnApplicationShutdown {
  private readonly watches = new Map<string, Watch>();

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly log: RunEventLog,
    private readonly relay: RunStreamRelay,
  ) {}

  /** Runs watched now (for the hang-up tests and the soak). */
  get size(): number {
    return this.watches.size;
  }

  /** Watches the run while the returned function has not been called. */
  watch(start: StartEvent): () => void {
    const existing = this.watches.get(start.run_id);
    if (existing) existing.watchers += 1;
    else this.watches.set(start.run_id, { timer: this.arm(start), watchers: 1 });
    return () => this.unwatch(start.run_id);
  }

  onApplicationShutdown(): void {
    this.watches.forEach((w) => clearTimeout(w.timer));
    this.watches.clear();
  }

  private arm(start: StartEvent): NodeJS.Timeout {
    const run = runContextOf(start, this.config.KODA_RUN_TIMEOUT_MS);
    const timer = setTimeout(
      async () => {
        this.watches.delete(run.run_id);
        const message = `The run took longer than its ${Math.round(this.config.KODA_RUN_TIMEOUT_MS / 1000)} s limit (no service ended it).`;
        const { finished } = await inService('gateway', () => failRun(this.log, run, { code: 'timeout', message })).catch(() => ({ finished: false }));
        if (finished) runLogger(this.logger, run).warn('the gateway watchdog ended a run past its deadline');
        else if (!(await this.log.hasEnded(run.run_id).catch(() => false))) this.endLocally(run.run_id, message);
      },
      Math.max(0, run.deadline_at + GRACE_MS - Date.now()),
    );
    timer.unref();
    return timer;
  }

  /**
   * The run could not be ended in its log (Redis full or gone, the log deleted): its streams
   * here end anyway, with a fatal error that is not stored, so no client waits forever.
   */
  private endLocally(runId: string, message: string): void {
    this.logger.warn({ run_id: runId }, 'the run could not be ended in its log; its streams here end without it');
    this.relay.deliverLocal(runId, gatewayErrorEntry(runId, 'timeout', `${message} Its log could not be written; the answer is lost.`, true));
  }

  private unwatch(runId: string): void {
    const watch = this.watches.get(runId);
    if (!watch) return;
    watch.watchers -= 1;
    if (watch.watchers > 0) return;
    clearTimeout(watch.timer);
    this.watches.delete(runId);
  }
}
